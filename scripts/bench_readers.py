"""Reader throughput: both PDF engines against bare text extraction, plus HTML/XML documents per second.

What is compared, on the same PDFs in the same run, repeats interleaved so machine load
hits every method alike:

* ``pdfminer extract_text (default)``: ``pdfminer.high_level.extract_text`` with its default
  ``LAParams()`` (``boxes_flow=0.5``), i.e. what a user of pdfminer calls.
* ``pdfminer extract_text (same LAParams)``: the same call with the reader's ``LAParams``
  (``boxes_flow=None``; pdfminer's own box ordering off): the bare pdfminer baseline.
* ``pdfium get_text_range``: PDFium's plain text of every page (pypdfium2), no geometry:
  the bare PDFium baseline.
* ``lit read_pdf (pdfminer)`` and ``lit read_pdf (pdfium)``: the reader on each engine
  (page records, then order, headers, paragraphs, headings, regions).

Per-method times are CPU seconds of this process (the machine is shared); the batch rows are
wall-clock seconds, since a pool's work happens in its children.

Ratios: each method's pages/s over ``lit read_pdf (pdfminer)`` (the reader as it was before
PDFium; target >= 8x for the PDFium engine) and over the bare extraction of the same engine.
Then documents/s for the HTML/XML fixtures, and the whole batch through ``read_document`` in
one process and in a 2-process pool.

Usage: ``.venv/bin/python scripts/bench_readers.py [--repeats 3] [--quick]``. Prints a
table; measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(os.environ.get("LIT_FIXTURES", REPO.parent / "shared" / "fixtures"))
CORPORA = Path(os.environ.get("LIT_CORPORA", REPO.parent / "shared" / "corpora"))


def pdf_files(quick: bool) -> list[Path]:
    files = sorted((FIXTURES / "parser_samples").glob("*/*.pdf")) + sorted((CORPORA / "grobid_quantities" / "pdf").glob("*.pdf"))
    if quick:
        files = [f for f in files if f.name in {"test2.pdf", "two_pages.pdf", "1308.2125.pdf"}]
    return files


def markup_files() -> list[Path]:
    root = FIXTURES / "publisher_articles"
    found = sorted(root.rglob("*.html")) + sorted(root.rglob("*.xml"))
    found += sorted((FIXTURES / "parser_samples" / "jats_pmc").glob("*.nxml"))
    return found


def page_count(data: bytes) -> int:
    from pdfminer.pdfpage import PDFPage

    return sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))


def _read_pdf(engine: str) -> Callable[[Path, bytes], int]:
    from lit.extract.document import DocumentInfo, content_id
    from lit.extract.readers.pdf import read_pdf

    def run(path: Path, data: bytes) -> int:
        doc_id, sha = content_id(data)
        return len(read_pdf(path, data, DocumentInfo(doc_id, str(path), "pdf", sha), engine).text)

    return run


def _pdfium_text(path: Path, data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    size = 0
    for page in pdf:
        text_page = page.get_textpage()
        size += len(text_page.get_text_range())
        text_page.close()
        page.close()
    pdf.close()
    return size


def _extract_text(laparams_factory: Callable[[], object]) -> Callable[[Path, bytes], int]:
    from pdfminer.high_level import extract_text

    def run(path: Path, data: bytes) -> int:
        return len(extract_text(io.BytesIO(data), laparams=laparams_factory()))

    return run


def _read_any(path: str) -> int:
    from lit.extract.readers import read_document

    return len(read_document(path).text)


def time_methods(
    files: list[tuple[Path, bytes]], methods: dict[str, Callable[[Path, bytes], int]], repeats: int, clock: Callable[[], float] = time.process_time
) -> dict[str, list[float]]:
    """Total seconds per repeat for each method; methods interleaved file by file.

    The default clock is this process's CPU time: on a machine shared with other jobs, wall
    time measures the neighbours as much as the code, while all methods here are single-threaded.
    """
    totals: dict[str, list[float]] = {name: [] for name in methods}
    names = list(methods)
    for path, data in files:  # warm-up: pdfminer caches fonts and CMaps on first use
        for name in names:
            methods[name](path, data)
    for repeat in range(repeats):
        spent = {name: 0.0 for name in methods}
        # Rotate the order each repeat so no method always runs first on a cold cache.
        order = names[repeat % len(names) :] + names[: repeat % len(names)]
        for path, data in files:
            for name in order:
                method = methods[name]
                started = clock()
                method(path, data)
                spent[name] += clock() - started
        for name in methods:
            totals[name].append(spent[name])
    return totals


def after_layout(files: list[tuple[Path, bytes]], repeats: int) -> tuple[int, float, float]:
    """CPU seconds spent after layout analysis, on the same analysed pages.

    pdfminer's text output (``TextConverter.receive_layout``) against lit's whole structure
    stage (copy lines, headers, order, paragraphs, headings): the part the reader adds,
    measured without the parse and analysis that dominate the end-to-end numbers.
    """
    from pdfminer.converter import TextConverter
    from pdfminer.high_level import extract_pages
    from pdfminer.pdfinterp import PDFResourceManager

    from lit.extract.readers.pdf import layout_params
    from lit.extract.readers.pdf_layout import mark_full_lines, page_layout, reading_order, remove_running_text
    from lit.extract.readers.pdf_structure import chunk_boxes, typography, vocabulary

    docs = [list(extract_pages(io.BytesIO(d), laparams=layout_params())) for _, d in files]
    text_times, lit_times = [], []
    for _ in range(repeats):
        started = time.process_time()
        for pages in docs:
            converter = TextConverter(PDFResourceManager(), io.StringIO(), laparams=layout_params())
            for page in pages:
                converter.receive_layout(page)
        text_times.append(time.process_time() - started)
        started = time.process_time()
        for pages in docs:
            layouts = [page_layout(page, i + 1) for i, page in enumerate(pages)]
            remove_running_text(layouts)
            for layout in layouts:
                mark_full_lines(layout)
            lines = [ln for layout in layouts for box in layout.boxes for ln in box.lines]
            ordered = [box for layout in layouts for box in reading_order(layout.boxes)]
            chunk_boxes(ordered, typography(lines), vocabulary(lines))
        lit_times.append(time.process_time() - started)
    return sum(len(p) for p in docs), statistics.median(text_times), statistics.median(lit_times)


def batch(paths: list[Path], workers: int, repeats: int) -> list[float]:
    """Seconds to read every path through read_document, in one process or a pool."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        if workers == 1:
            for p in paths:
                _read_any(str(p))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                list(pool.map(_read_any, [str(p) for p in paths], chunksize=1))
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="three small PDFs, one repeat: a smoke run")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats

    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # colour-space warnings would swamp the table
    from pdfminer.layout import LAParams

    from lit.extract.readers.pdf import layout_params

    pdfs = pdf_files(args.quick)
    loaded = [(p, p.read_bytes()) for p in pdfs]
    pages = sum(page_count(d) for _, d in loaded)
    print(f"# {len(pdfs)} PDFs, {pages} pages, {repeats} repeat(s); cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f}")
    methods = {
        "pdfminer extract_text (default LAParams)": _extract_text(LAParams),
        "pdfminer extract_text (same LAParams)": _extract_text(layout_params),
        "pdfium get_text_range": _pdfium_text,
        "lit read_pdf (pdfminer)": _read_pdf("pdfminer"),
        "lit read_pdf (pdfium)": _read_pdf("pdfium"),
    }
    bare = {"lit read_pdf (pdfminer)": "pdfminer extract_text (same LAParams)", "lit read_pdf (pdfium)": "pdfium get_text_range"}
    totals = time_methods(loaded, methods, repeats)
    rate = {name: pages / statistics.median(t) for name, t in totals.items()}
    base = rate["lit read_pdf (pdfminer)"]
    print(f"\n{'PDF method (CPU time)':44s} {'median s':>9s} {'pages/s':>8s} {'vs lit pdfminer':>16s} {'vs bare engine':>15s}")
    for name, t in totals.items():
        own = f"{rate[name] / rate[bare[name]]:14.2f}x" if name in bare else f"{'':15s}"
        print(f"{name:44s} {statistics.median(t):9.2f} {rate[name]:8.2f} {rate[name] / base:15.2f}x {own}")

    n_pages, text_s, lit_s = after_layout(loaded, repeats)
    print(f"\n{'after layout analysis, same pages (CPU time)':44s} {'median s':>9s} {'ms/page':>8s}")
    print(f"{'pdfminer TextConverter.receive_layout':44s} {text_s:9.3f} {1000 * text_s / n_pages:8.2f}")
    print(f"{'lit structure (lines..paragraphs, headings)':44s} {lit_s:9.3f} {1000 * lit_s / n_pages:8.2f}")

    markup = markup_files()
    available = []
    for fmt in ("html", "xml"):
        try:
            __import__(f"lit.extract.readers.{fmt}")
            available.append(fmt)
        except ModuleNotFoundError:
            print(f"\n(skipped {fmt.upper()}: lit.extract.readers.{fmt} does not exist yet)")
    from lit.extract.readers import sniff_format

    markup = [p for p in markup if sniff_format(p.read_bytes()[:4096], p.suffix.lower()) in available]
    if markup:
        t = time_methods([(p, b"") for p in markup], {"read_document": lambda p, _d: _read_any(str(p))}, repeats)["read_document"]
        print(f"\n{'HTML/XML (CPU time)':44s} {'docs':>9s} {'median s':>8s} {'docs/s':>9s}")
        print(f"{'lit read_document':44s} {len(markup):9d} {statistics.median(t):8.2f} {len(markup) / statistics.median(t):9.2f}")

    print(f"\n{'batch through read_document (wall time)':44s} {'docs':>9s} {'median s':>8s} {'docs/s':>9s} {'pages/s':>8s}")
    groups = [("PDFs", pdfs)] + ([("PDFs + HTML/XML", pdfs + markup)] if markup else [])
    for group, paths in groups:
        single = statistics.median(batch(paths, 1, repeats))
        pooled = statistics.median(batch(paths, 2, repeats))
        for label, secs in (("1 process", single), ("2-process pool", pooled)):
            per_page = f"{pages / secs:8.2f}" if group == "PDFs" else f"{'':8s}"
            print(f"{group + ', ' + label:44s} {len(paths):9d} {secs:8.2f} {len(paths) / secs:9.2f} {per_page}")
        print(f"{group + ', pool speed-up':44s} {'':9s} {'':8s} {single / pooled:8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
