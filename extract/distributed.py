"""Scale-out on Ray: the same per-document pipeline, run by actors on a cluster.

Each actor loads one :class:`~lit.extract.pipeline.Extractor` (the NER model stays in
memory across documents, on a GPU when the actor is given one) and processes paths sent
to it; results stream back to the driver, which writes the facts file, the journal and
the graph exactly as a local run does. The inputs must be readable by the workers (a
shared filesystem), which is how clusters usually mount a paper collection.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from lit.extract.pipeline import DocumentResult


def iter_results_ray(
    paths: Sequence[str], model: str | None, address: str | None, actors: int, gpus_per_actor: float = 0.0
) -> Iterator[DocumentResult]:
    """Yield DocumentResults computed by ``actors`` Ray actors (completion order).

    ``address`` is a Ray cluster address (``ray://host:10001`` or ``auto``); None or
    ``local`` starts a local Ray instance for this process.
    """
    import ray
    from ray.util import ActorPool

    if not ray.is_initialized():
        if address in (None, "", "local"):
            ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
        else:
            ray.init(address=address, include_dashboard=False, log_to_driver=False)

    @ray.remote(num_cpus=1, num_gpus=gpus_per_actor)
    class ExtractorActor:
        def __init__(self, model: str | None):
            import torch

            from lit.extract.pipeline import Extractor

            torch.set_num_threads(1)
            self.extractor = Extractor.load(model)

        def run(self, path: str) -> DocumentResult:
            return self.extractor.extract_path(path)

    pool = ActorPool([ExtractorActor.remote(model) for _ in range(max(1, actors))])
    yield from pool.map_unordered(lambda actor, path: actor.run.remote(path), list(paths))
