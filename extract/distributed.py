"""Scale-out on Ray: the same pipeline, run by actors on a cluster.

Each actor loads one :class:`~lit.extract.pipeline.Extractor` (the NER model stays in
memory across documents, on a GPU when the actor is given one) and processes groups of
paths sent to it (:func:`~lit.extract.workers.group_paths`, one NER call per group);
results stream back to the driver, which writes the facts file, the journal and the graph
exactly as a local run does. The inputs must be readable by the workers (a
shared filesystem), which is how clusters usually mount a paper collection.

``--ray local`` starts a private Ray instance limited to ``actors`` CPUs (so a laptop or a
test does not start one Ray worker per core) and shuts it down when the run ends; an
address (``auto``, ``ray://head:10001``) joins an existing cluster and leaves it running.
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator

from lit.errors import LitError
from lit.extract.pipeline import DocumentResult
from lit.extract.workers import Workers


class RayWorkers(Workers):
    """``actors`` Ray actors, each with one Extractor; at most two documents queued per actor."""

    def __init__(self, model: str | None, address: str | None, actors: int = 1, gpus_per_actor: float = 0.0):
        try:
            import ray
        except ImportError as exc:  # pragma: no cover - ray is a declared dependency
            raise LitError(f"--ray {address}: Ray is not installed ({exc})") from None
        self._ray = ray
        self._started_here = False
        actors = max(1, actors)
        if not ray.is_initialized():
            # Ray >= 2.5x asks for a token unless told otherwise; a private local instance has no
            # other clients, so authentication only gets in the way there.
            os.environ.setdefault("RAY_AUTH_MODE", "disabled")
            try:
                if address in (None, "", "local"):
                    ray.init(num_cpus=actors, include_dashboard=False, log_to_driver=False,
                             configure_logging=False)
                else:
                    ray.init(address=address, include_dashboard=False, log_to_driver=False)
            except Exception as exc:  # ConnectionError, RuntimeError... Ray raises many kinds
                raise LitError(f"--ray {address}: cannot start or reach Ray: {exc}") from None
            self._started_here = True
        actor_cls = ray.remote(num_cpus=1, num_gpus=gpus_per_actor)(_ExtractorActor)
        self._actors = [actor_cls.remote(model) for _ in range(actors)]
        self._versions: list[str] | None = None

    @property
    def model_versions(self) -> list[str]:
        if self._versions is None:
            self._versions = self._get(self._actors[0].versions.remote())
        return self._versions

    def _get(self, ref: Any) -> Any:
        try:
            return self._ray.get(ref)
        except self._ray.exceptions.RayTaskError as exc:
            cause = exc.as_instanceof_cause()
            if isinstance(cause, LitError):
                raise LitError(str(cause)) from None
            raise

    def map(self, paths: Iterable[str]) -> Iterator[DocumentResult]:
        from ray.util import ActorPool

        from lit.extract.workers import group_paths

        pool = ActorPool(self._actors)
        for results in pool.map_unordered(lambda actor, group: actor.run_many.remote(group), group_paths(paths)):
            yield from results

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self._started_here:
            self._ray.shutdown()
            self._started_here = False


class _ExtractorActor:
    """The Ray actor body (decorated with ``ray.remote`` at run time, so importing this module
    does not import Ray)."""

    def __init__(self, model: str | None):
        from lit.extract.workers import _limit_threads, load_extractor

        self.extractor = load_extractor(model)
        _limit_threads(1)

    def versions(self) -> list[str]:
        return self.extractor.model_versions

    def run_many(self, paths: list[str]) -> list[DocumentResult]:
        """A group of documents with one NER call over all their sentences."""
        from lit.extract.workers import extract_group

        return extract_group(self.extractor, paths)
