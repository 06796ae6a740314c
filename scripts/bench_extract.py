"""End-to-end extraction throughput beside the raw NER forward pass, measured in one run.

What it prints (medians over ``--repeat`` runs):

* **abstracts/s** of ``run_batch`` (read -> segment -> NER -> link -> facts file) over N
  generated abstracts (our own text: varied phrasings of band gaps, Curie and transition
  temperatures), in-process and with ``--workers`` processes; model loading is timed apart;
* **pages/s** on the full-text PDFs in ``$LIT_FIXTURES/parser_samples`` (CERMINE, GROBID);
* **NER forward tokens/s**: only ``model(ids, mask, features)`` on the very windows the
  abstracts' sentences give, timed inside :func:`window_probs` through its ``forward`` hook;
* the **overhead ratio**: (pipeline seconds per abstract - forward seconds per abstract) /
  forward seconds per abstract, i.e. how much the pipeline adds to the model's own time,
  for the grouped path the batch runner uses (``Extractor.extract_paths`` over groups of
  ``--group`` files, one NER call per group) and, as the same-run baseline, for the
  per-document path (``extract_path`` file by file, one NER call per document).

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
    """Seconds the NER model's forward pass takes while the pipeline runs (torch forward
    hooks on the model), to split pipeline overhead into batching loss and the rest."""

    def __init__(self, extractor):
        self.model = extractor.tagger.model if extractor.tagger is not None else None
        self.seconds = 0.0
        self._t0 = 0.0
        self._hooks: list = []

    def __enter__(self) -> "ForwardTimer":
        if self.model is not None:
            self._hooks = [
                self.model.register_forward_pre_hook(lambda *_: setattr(self, "_t0", time.perf_counter())),
                self.model.register_forward_hook(self._stop),
            ]
        return self

    def _stop(self, *_: object) -> None:
        self.seconds += time.perf_counter() - self._t0

    def __exit__(self, *exc: object) -> None:
        for hook in self._hooks:
            hook.remove()


def forward_throughput(extractor, paths: list[Path]) -> tuple[float, int, int]:
    """(forward seconds, tokens, sentences) of the NER model on the abstracts' sentences."""
    import torch

    from lit.extract.readers import read_document
    from lit.extract.segment import split_sentences
    from lit.models.ner.infer import window_probs
    from lit.models.ner.words import split_words

    texts = [s.text for p in paths for s in split_sentences(read_document(p))]
    tagger = extractor.tagger
    spent, tokens = 0.0, 0

    def forward(ids, mask, feats):
        nonlocal spent, tokens
        started = time.perf_counter()
        logits = tagger.model(ids, mask, feats)
        spent += time.perf_counter() - started
        tokens += int(mask.sum())
        return logits

    with torch.inference_mode():
        window_probs(tagger.model, texts, [split_words(t) for t in texts], 32, tagger.device, forward=forward)
    return spent, tokens, len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="abstracts to generate")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", default=None, help="NER model folder (default: newest in models/trained)")
    parser.add_argument("--pdfs", type=int, default=None, help="use only the first N fixture PDFs")
    parser.add_argument("--group", type=int, default=GROUP_DOCS, help="documents per NER call (grouped path)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress visible when piped to a log
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as open_workers does, before torch loads
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

    with tempfile.TemporaryDirectory(prefix="lit-bench-abstracts-") as tmp:
        abstracts = make_abstracts(Path(tmp), args.n)
        # warm-up: imports, lazy caches (property vocabulary, regexes)
        for path in abstracts[:5]:
            extractor.extract_path(path)
        groups = list(group_paths([str(p) for p in abstracts], docs=args.group))
        grouped = f"extract_paths x{args.group}"
        rows: dict[str, list[float]] = {
            "in-process": [], f"workers={args.workers}": [], grouped: [], "extract_path loop": []}
        facts = 0
        # forward seconds spent inside each in-process path, per repeat
        inside: dict[str, list[float]] = {grouped: [], "extract_path loop": []}
        # the forward pass alone, measured in every repeat beside the paths (the load of a
        # shared machine drifts within minutes: ratios are taken per repeat, then the median)
        forwards: list[tuple[float, int, int]] = []
        for _ in range(args.repeat):
            if has_model:
                forwards.append(forward_throughput(extractor, abstracts))
            with ForwardTimer(extractor) as timer:
                t0 = time.perf_counter()
                for group in groups:
                    extractor.extract_paths(group)
                rows[grouped].append(time.perf_counter() - t0)
            inside[grouped].append(timer.seconds)
            with ForwardTimer(extractor) as timer:
                t0 = time.perf_counter()
                for path in abstracts:
                    extractor.extract_path(path)
                rows["extract_path loop"].append(time.perf_counter() - t0)
            inside["extract_path loop"].append(timer.seconds)
            seconds, facts = timed_batch(abstracts, 1, args.model)
            rows["in-process"].append(seconds)
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
            fwd_s = statistics.median(f[0] for f in forwards)
            tokens, sentences = forwards[0][1], forwards[0][2]
            print(f"\nNER forward pass alone: {tokens / fwd_s:,.0f} tokens/s ({tokens} tokens, {sentences} sentences, "
                  f"batch 32, {fwd_s:.2f} s; per repeat {', '.join(f'{f[0]:.2f}' for f in forwards)} s)")
            for name in inside:
                per_repeat = [(loop - f[0]) / f[0] for loop, f in zip(rows[name], forwards)]
                batching = [(i - f[0]) / f[0] for i, f in zip(inside[name], forwards)]
                rest = [(loop - i) / f[0] for loop, i, f in zip(rows[name], inside[name], forwards)]
                loop_s, in_s = statistics.median(rows[name]), statistics.median(inside[name])
                print(f"{name}: pipeline overhead beyond the forward pass: {statistics.median(per_repeat):.0%} of model "
                      f"time (per repeat {', '.join(f'{x:.0%}' for x in per_repeat)}; "
                      f"{loop_s / args.n * 1000:.1f} ms per abstract vs {fwd_s / args.n * 1000:.1f} ms forward)")
                print(f"  of which: its NER batches {statistics.median(batching):+.0%} against one batched run of all "
                      f"sentences ({in_s / args.n * 1000:.1f} ms per abstract in the forward pass), everything else "
                      f"{statistics.median(rest):.0%} ({(loop_s - in_s) / args.n * 1000:.1f} ms)")

    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    pdfs = fulltext_pdfs()[: args.pdfs]
    if pdfs:
        pages = sum(page_count(p) for p in pdfs)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for path in pdfs:
                extractor.extract_path(path)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        print(f"\nfull-text PDFs: {len(pdfs)} files, {pages} pages: {pages / med:.2f} pages/s in-process "
              f"({med:.1f} s, model loaded)")
    elif args.pdfs != 0:
        print("\nno PDFs under $LIT_FIXTURES/parser_samples: pages/s not measured")


if __name__ == "__main__":
    main()
