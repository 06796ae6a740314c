"""End-to-end extraction throughput beside the raw NER and relation forward passes, in one run.

What it prints (medians over ``--repeat`` runs):

* **abstracts/s** of ``run_batch`` (read -> segment -> NER -> link -> facts file) over N
  generated abstracts (our own text: varied phrasings of band gaps, Curie and transition
  temperatures), with one worker process and with ``--workers`` processes; model loading is timed apart;
* **pages/s** on the full-text PDFs in ``$LIT_FIXTURES/parser_samples`` (CERMINE, GROBID),
  with each PDF engine (PDFium, the default, against pdfminer as the same-run baseline);
* **forward tokens/s** of each model alone, measured in every repeat: the NER model
  (``model(ids, mask, features)`` on the very windows the abstracts' sentences give, timed
  inside :func:`window_probs` through its ``forward`` hook) and the relation model's encoder
  (:meth:`RelationModel.encode` on the abstracts' paragraphs, through the ``forward`` hook
  of :meth:`RelationModel.window_states`), each with all its inputs in one call;
* the **overhead ratios**: (pipeline seconds - forward seconds) / forward seconds, i.e. how
  much the pipeline adds to the models' own time, both against the NER forward pass alone
  and against NER + relation forward passes (the model time), for the grouped path the
  batch runner uses (``Extractor.extract_paths`` over groups of ``--group`` files, one NER
  call and one relation-model call per group) and, as the same-run baseline, for the
  per-document path (``extract_path`` file by file, one call of each model per document);
  then how much of it is each model's batching inside the path (its forward time there
  against its one-call run) and how much everything else.

Without a trained model (``models/trained/ner-*``) it says so and reports the reader +
segmentation + table pipeline alone. Run::

    .venv/bin/python scripts/bench_extract.py [--n 300] [--repeat 3] [--workers 2] [--model DIR]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from lit.errors import LitError
from lit.extract.batch import run_batch
from lit.extract.workers import GROUP_DOCS, group_paths, load_extractor

COMPOUNDS = [
    "ZnO", "GaN", "TiO2", "CdTe", "CH3NH3PbI3", "MoS2", "Cu2ZnSnS4", "SnO2", "BiVO4", "Fe3O4",
    "CrO2", "EuO", "NiO", "La0.7Sr0.3MnO3", "MgB2", "Nb3Sn", "YBa2Cu3O7", "GaAs", "InP", "WSe2",
]
GAP = [
    "{c} has a band gap of {g} eV.",
    "The optical band gap of {c} was determined to be {g} eV from Tauc plots.",
    "Thin films of {c} show an indirect gap of {g} eV at room temperature.",
    "The measured Eg of {c} is {g} eV, lower than the calculated value.",
    "UV-vis absorption places the band gap of the {c} nanocrystals at {g} eV.",
]
CURIE = [
    "{c} orders ferromagnetically below a Curie temperature of {t} K.",
    "We find a Curie temperature of {t} K for {c}.",
    "Magnetization measurements give T_C = {t} K for the {c} films.",
]
TC = [
    "{c} becomes superconducting at {t} K.",
    "The superconducting transition temperature of {c} is {t} K.",
]
FILLER = [
    "We report the synthesis of {c} by a solvothermal route.",
    "Samples were characterised by X-ray diffraction and Raman spectroscopy.",
    "These results make {c} a candidate for photovoltaic absorbers.",
    "Density functional calculations support the experimental trend.",
    "The films were annealed at 450 °C in air for two hours.",
]


def make_abstracts(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """``n`` abstracts of 5-7 sentences as .txt files (title line, blank line, paragraph)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        c1, c2 = rng.sample(COMPOUNDS, 2)
        sentences = [rng.choice(FILLER).format(c=c1)]
        sentences.append(rng.choice(GAP).format(c=c1, g=round(rng.uniform(0.3, 5.5), 2)))
        sentences.append(rng.choice(CURIE + TC).format(c=c2, t=rng.randint(4, 1100)))
        sentences += [rng.choice(FILLER).format(c=rng.choice(COMPOUNDS)) for _ in range(rng.randint(2, 4))]
        text = f"Study {i} of {c1} and {c2}\n\n{' '.join(sentences)}\n"
        path = folder / f"abstract{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def fulltext_pdfs() -> list[Path]:
    root = Path(os.environ.get("LIT_FIXTURES", Path(__file__).resolve().parents[2] / "shared" / "fixtures"))
    return sorted((root / "parser_samples").glob("*/*.pdf"))


def page_count(path: Path) -> int:
    from pdfminer.pdfpage import PDFPage

    with open(path, "rb") as fh:
        return sum(1 for _ in PDFPage.get_pages(fh))


def timed_batch(paths: list[Path], workers: int, model: str | None) -> tuple[float, int]:
    """Seconds of one end-to-end ``run_batch`` (facts file and journal, no graph) and its facts."""
    with tempfile.TemporaryDirectory(prefix="lit-bench-") as tmp:
        started = time.perf_counter()
        summary = run_batch(paths, Path(tmp) / "facts.jsonl", None, workers=workers, model=model, restart=True)
        return time.perf_counter() - started, summary.facts


class ForwardTimer:
    """Seconds the models' forward passes take while the pipeline runs: the NER model through
    torch forward hooks, the relation model's encoder through a pass-through wrapper of
    :meth:`RelationModel.encode` (its pair scorer, a small MLP, is left to the pipeline)."""

    def __init__(self, extractor):
        self.model = extractor.tagger.model if extractor.tagger is not None else None
        self.relation = extractor.linker.model if extractor.linker is not None else None
        self.spans: list[tuple[float, float]] = []  # NER batches: (start, end)
        self.relation_spans: list[tuple[float, float]] = []
        self._started = threading.local()  # batches run on several threads at once
        self._hooks: list = []

    @property
    def seconds(self) -> float:
        """NER forward seconds (time some batch was running)."""
        return busy_seconds(self.spans)

    @property
    def relation_seconds(self) -> float:
        return busy_seconds(self.relation_spans)

    def __enter__(self) -> "ForwardTimer":
        if self.model is not None:
            self._hooks = [
                self.model.register_forward_pre_hook(lambda *_: setattr(self._started, "t", time.perf_counter())),
                self.model.register_forward_hook(self._stop),
            ]
        if self.relation is not None:
            encode = self.relation.encode

            def timed(*args, **named):
                started = time.perf_counter()
                out = encode(*args, **named)
                self.relation_spans.append((started, time.perf_counter()))
                return out

            self.relation.encode = timed  # an instance attribute, removed on exit
        return self

    def _stop(self, *_: object) -> None:
        self.spans.append((self._started.t, time.perf_counter()))

    def __exit__(self, *exc: object) -> None:
        for hook in self._hooks:
            hook.remove()
        if self.relation is not None:
            del self.relation.encode


def busy_seconds(spans: list[tuple[float, float]]) -> float:
    """Seconds during which at least one of the ``(start, end)`` spans was running."""
    total, end = 0.0, float("-inf")
    for t0, t1 in sorted(spans):
        if t1 > end:
            total += t1 - max(t0, end)
            end = t1
    return total


class _Counted:
    """A forward function that records when it ran and the unpadded tokens it was given."""

    def __init__(self, fn):
        self.fn, self.spans, self.counts = fn, [], []  # appends only: calls come from several threads

    @property
    def seconds(self) -> float:
        return busy_seconds(self.spans)

    @property
    def tokens(self) -> int:
        return sum(self.counts)

    def __call__(self, ids, mask, *rest, **named):
        started = time.perf_counter()
        out = self.fn(ids, mask, *rest, **named)
        self.spans.append((started, time.perf_counter()))
        self.counts.append(int(mask.sum()))
        return out


def forward_throughput(extractor, paths: list[Path]) -> tuple[float, int, int]:
    """(forward seconds, tokens, sentences) of the NER model on the abstracts' sentences."""
    import torch

    from lit.extract.readers import read_document
    from lit.extract.segment import split_sentences
    from lit.models.ner.infer import window_probs
    from lit.models.ner.words import split_words

    texts = [s.text for p in paths for s in split_sentences(read_document(p))]
    tagger = extractor.tagger
    forward = _Counted(tagger.model)
    with torch.inference_mode():
        window_probs(tagger.model, texts, [split_words(t) for t in texts], 32, tagger.device, forward=forward)
    return forward.seconds, forward.tokens, len(texts)


def relation_inputs(extractor, paths: list[Path]) -> list:
    """The relation model's encoded paragraphs of the abstracts (those with a candidate pair),
    built once through the pipeline's own stages (NER and rule mentions, then the blocks)."""
    from lit.extract.readers import read_document
    from lit.extract.stages import Materials
    from lit.models.re.data import encode_instances

    states = extractor.analyse([read_document(p) for p in paths], until=Materials)
    model = extractor.linker.model
    blocks = [b for s in states for b in extractor.linker.blocks(s.doc, s.sentences, s.mentions)]
    instances = [i for i in (model.instance(b.text, b.local, b.spans) for b in blocks) if i.candidates]
    return encode_instances(model.net.tokenizer, instances, model.config.max_len, model.config.stride)


def relation_throughput(extractor, encoded: list) -> tuple[float, int, int]:
    """(forward seconds, tokens, paragraphs) of the relation model's encoder on ``encoded``, all
    paragraphs in one call (length buckets of 8, as the pipeline runs them)."""
    model = extractor.linker.model
    forward = _Counted(model.encode)
    model.window_states(encoded, forward=forward)
    return forward.seconds, forward.tokens, len(encoded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="abstracts to generate (0: PDFs only)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", default=None, help="NER model folder (default: the bundle in lit.models.bundle)")
    parser.add_argument("--pdfs", type=int, default=None, help="use only the first N fixture PDFs")
    parser.add_argument("--group", type=int, default=GROUP_DOCS, help="documents per NER call (grouped path)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress visible when piped to a log
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # colour-space chatter from fixture PDFs

    started = time.perf_counter()
    try:
        extractor = load_extractor(args.model)
    except LitError as exc:
        sys.exit(f"cannot load the model: {exc}")
    load_s = time.perf_counter() - started
    has_model = extractor.tagger is not None
    print(f"cpus: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}  models: {extractor.model_versions}")
    if not has_model:
        print("NO trained NER model found: timing reader + segmentation + table rules only (no sentence facts)")
    print(f"model load: {load_s:.2f} s")

    if args.n > 0:  # --n 0: the PDFs alone
        with tempfile.TemporaryDirectory(prefix="lit-bench-abstracts-") as tmp:
            abstracts = make_abstracts(Path(tmp), args.n)
            # warm-up: imports, lazy caches (property vocabulary, regexes)
            for path in abstracts[:5]:
                extractor.extract_path(path)
            groups = list(group_paths([str(p) for p in abstracts], docs=args.group))
            grouped = f"extract_paths x{args.group}"
            rows: dict[str, list[float]] = {
                "workers=1": [], f"workers={args.workers}": [], grouped: [], "extract_path loop": []}
            facts = 0
            # forward seconds spent inside each in-process path, per repeat (NER, relation model)
            inside: dict[str, list[tuple[float, float]]] = {grouped: [], "extract_path loop": []}
            # the forward passes alone, measured in every repeat beside the paths (the load of a
            # shared machine drifts within minutes: ratios are taken per repeat, then the median)
            forwards: list[tuple[float, int, int]] = []
            relation_forwards: list[tuple[float, int, int]] = []
            encoded = relation_inputs(extractor, abstracts) if has_model and extractor.linker is not None else None
            for _ in range(args.repeat):
                if has_model:
                    forwards.append(forward_throughput(extractor, abstracts))
                if encoded is not None:
                    relation_forwards.append(relation_throughput(extractor, encoded))
                with ForwardTimer(extractor) as timer:
                    t0 = time.perf_counter()
                    for group in groups:
                        extractor.extract_paths(group)
                    rows[grouped].append(time.perf_counter() - t0)
                inside[grouped].append((timer.seconds, timer.relation_seconds))
                with ForwardTimer(extractor) as timer:
                    t0 = time.perf_counter()
                    for path in abstracts:
                        extractor.extract_path(path)
                    rows["extract_path loop"].append(time.perf_counter() - t0)
                inside["extract_path loop"].append((timer.seconds, timer.relation_seconds))
                seconds, facts = timed_batch(abstracts, 1, args.model)
                rows["workers=1"].append(seconds)
                if args.workers > 1:
                    seconds, _ = timed_batch(abstracts, args.workers, args.model)
                    rows[f"workers={args.workers}"].append(seconds)
            print(f"\nabstracts: {args.n} generated, {facts} facts per run, median of {args.repeat}")
            for name, values in rows.items():
                if not values:
                    continue
                med = statistics.median(values)
                what = "(model already loaded)" if name in inside else "(run_batch end to end, incl. load)"
                print(f"  {name:18s} {args.n / med:8.1f} abstracts/s  {med:7.2f} s  {what}")
            print(f"  grouped path vs per-document path: {statistics.median(rows['extract_path loop']) / statistics.median(rows[grouped]):.2f}x")
            if has_model:
                report_model_time(args.n, rows, inside, forwards, relation_forwards)

    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    pdfs = fulltext_pdfs()[: args.pdfs]
    if pdfs:
        pages = sum(page_count(p) for p in pdfs)
        # Both PDF engines in the same run, repeats interleaved: pdfminer is the baseline.
        times: dict[str, list[float]] = {"pdfminer": [], "pdfium": []}
        for _ in range(args.repeat):
            for engine in times:
                os.environ["LIT_PDF_ENGINE"] = engine
                t0 = time.perf_counter()
                for path in pdfs:
                    extractor.extract_path(path)
                times[engine].append(time.perf_counter() - t0)
        os.environ.pop("LIT_PDF_ENGINE", None)
        print(f"\nfull-text PDFs: {len(pdfs)} files, {pages} pages, end to end in-process (model loaded):")
        for engine, values in times.items():
            med = statistics.median(values)
            print(f"  {engine:9s} engine {pages / med:8.2f} pages/s  {med:7.1f} s")
        ratio = statistics.median(times["pdfminer"]) / statistics.median(times["pdfium"])
        print(f"  pdfium vs pdfminer: {ratio:.2f}x pages/s")
    elif args.pdfs != 0:
        print("\nno PDFs under $LIT_FIXTURES/parser_samples: pages/s not measured")


def _pct(values: list[float]) -> str:
    return f"{statistics.median(values):.0%} (per repeat {', '.join(f'{x:.0%}' for x in values)})"


def report_model_time(
    n: int,
    rows: dict[str, list[float]],
    inside: dict[str, list[tuple[float, float]]],
    forwards: list[tuple[float, int, int]],
    relation_forwards: list[tuple[float, int, int]],
) -> None:
    """Forward-pass throughput of each model alone and the pipeline's overhead beyond them:
    against the NER forward pass alone, and against NER + relation forward passes (model
    time), each as the median of per-repeat ratios."""
    fwd_s = statistics.median(f[0] for f in forwards)
    tokens, sentences = forwards[0][1], forwards[0][2]
    print(f"\nNER forward pass alone: {tokens / fwd_s:,.0f} tokens/s ({tokens} tokens, {sentences} sentences, "
          f"batch 32, {fwd_s:.2f} s; per repeat {', '.join(f'{f[0]:.2f}' for f in forwards)} s)")
    rel = relation_forwards or [(0.0, 0, 0)] * len(forwards)
    rel_s = statistics.median(f[0] for f in rel)
    if relation_forwards:
        print(f"relation model forward pass alone (encoder): {rel[0][1] / max(rel_s, 1e-9):,.0f} tokens/s "
              f"({rel[0][1]} tokens, {rel[0][2]} paragraphs, {rel_s:.2f} s; per repeat "
              f"{', '.join(f'{f[0]:.2f}' for f in rel)} s)")
    print(f"model time per abstract: NER {fwd_s / n * 1000:.1f} ms + relation {rel_s / n * 1000:.1f} ms = "
          f"{(fwd_s + rel_s) / n * 1000:.1f} ms")
    for name in inside:
        loops = rows[name]
        over_ner = [(loop - f[0]) / f[0] for loop, f in zip(loops, forwards)]
        over_models = [(loop - f[0] - r[0]) / (f[0] + r[0]) for loop, f, r in zip(loops, forwards, rel)]
        ner_batches = [(i[0] - f[0]) / f[0] for i, f in zip(inside[name], forwards)]
        rel_batches = [(i[1] - r[0]) / r[0] for i, r in zip(inside[name], rel) if r[0] > 0]
        rest = [(loop - i[0] - i[1]) / (f[0] + r[0]) for loop, i, f, r in zip(loops, inside[name], forwards, rel)]
        loop_s = statistics.median(loops)
        in_ner = statistics.median(i[0] for i in inside[name])
        in_rel = statistics.median(i[1] for i in inside[name])
        print(f"{name}: {loop_s / n * 1000:.1f} ms per abstract; pipeline overhead beyond the NER forward pass "
              f"{_pct(over_ner)}; beyond NER + relation forward passes {_pct(over_models)}")
        print(f"  of which: its NER batches {statistics.median(ner_batches):+.0%} against one batched run of all "
              f"sentences ({in_ner / n * 1000:.1f} ms per abstract), its relation batches "
              f"{statistics.median(rel_batches) if rel_batches else 0:+.0%} against one batched run of all "
              f"paragraphs ({in_rel / n * 1000:.1f} ms), everything else {statistics.median(rest):.0%} of model time "
              f"({(loop_s - in_ner - in_rel) / n * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
