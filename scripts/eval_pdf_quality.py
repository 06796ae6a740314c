"""PDF reader quality per engine (PDFium, pdfminer) against gold text: one table, engine x metric.

Gold:

* body text: GROBID-quantities' TEI of the three arXiv papers whose PDFs ship with the corpus
  (``$LIT_CORPORA/grobid_quantities/pdf``; the TEI paragraphs, comments such as citation
  markers removed) and CERMINE's ``test2-fulltext.txt`` for ``test2.pdf`` up to its reference list;
* headings: CERMINE's numbered headings of ``test2.pdf`` and the headings checked by hand
  in ``tests/test_reader_pdf.py`` (0807.3577, test1, test3);
* titles: the titles (one to three printed lines) checked by hand in ``tests/test_reader_pdf.py``.

Metrics:

* word recall / precision: multiset overlap of lower-cased words, gold body against the
  reader's paragraphs (precision counts the reader's paragraph words found in the gold; the
  readers drop reference lists under a heading, as the gold does);
* reading order: longest common subsequence of the two word sequences over the gold length
  (bit-parallel LCS, exact);
* heading recall: the gold headings found, in order (LCS over headings);
* running headers left: blocks repeated verbatim three times or more, and bare page numbers;
* titles whole: reader title == gold title (multi-line titles joined).

Usage: ``.venv/bin/python scripts/eval_pdf_quality.py``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(os.environ.get("LIT_FIXTURES", REPO.parent / "shared" / "fixtures"))
CORPORA = Path(os.environ.get("LIT_CORPORA", REPO.parent / "shared" / "corpora"))


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def lcs(a: list, b: list) -> int:
    """Length of the longest common subsequence (Hyyrö's bit-parallel algorithm)."""
    if not a or not b:
        return 0
    masks: dict = {}
    for i, x in enumerate(a):
        masks[x] = masks.get(x, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for y in b:
        u = v & masks.get(y, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


def tei_body(path: Path) -> str:
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    for comment in root.iter(etree.Comment):
        parent = comment.getparent()
        if parent is not None:
            tail = comment.tail or ""
            prev = comment.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
            parent.remove(comment)
    ns = "{http://www.tei-c.org/ns/1.0}"
    return "\n".join("".join(p.itertext()) for p in root.iter(f"{ns}p"))


def gold_texts() -> dict[Path, str]:
    out = {}
    corpus = CORPORA / "grobid_quantities"
    for pdf in sorted((corpus / "pdf").glob("*.pdf")):
        tei = sorted((corpus / "resources" / "dataset" / "quantities" / "corpus").glob(f"{pdf.stem}.*.tei.xml"))
        if tei:
            out[pdf] = tei_body(tei[0])
    cermine = FIXTURES / "parser_samples" / "cermine"
    if (cermine / "test2-fulltext.txt").is_file():
        # Up to its reference list, which the readers drop as the TEI leaves it out.
        out[cermine / "test2.pdf"] = (cermine / "test2-fulltext.txt").read_text(encoding="utf-8").split("\nReferences\n")[0]
    return out


def gold_headings() -> dict[Path, list[str]]:
    cermine = FIXTURES / "parser_samples" / "cermine"
    out = {}
    full = cermine / "test2-fulltext.txt"
    if full.is_file():
        out[cermine / "test2.pdf"] = [
            ln.strip() for ln in full.read_text(encoding="utf-8").splitlines()
            if re.match(r"^\d{1,2}\.\s+[A-Z]", ln.strip()) and len(ln) < 60
        ]
    out[FIXTURES / "parser_samples" / "grobid" / "0807.3577.pdf"] = [
        "1. Introduction", "2. The Buchert scheme", "4. The apparent and average accelerations", "6. Conclusions"]
    out[cermine / "test3.pdf"] = ["INTRODUCTION", "MATERIALS AND METHODS", "RESULTS AND DISCUSSION", "REFERENCES"]
    out[cermine / "test1.pdf"] = ["Abstract", "Introduction", "Methods", "Conclusion"]
    return out


def gold_titles() -> dict[Path, str]:
    sys.path.insert(0, str(REPO))
    from tests.test_reader_pdf import PAPERS

    out = {}
    for rel, title, _doi in PAPERS:
        path = CORPORA / rel.split(":", 1)[1] if rel.startswith("corpora:") else FIXTURES / rel
        out[path] = title
    return out


def all_pdfs() -> list[Path]:
    return sorted((FIXTURES / "parser_samples").glob("*/*.pdf")) + sorted((CORPORA / "grobid_quantities" / "pdf").glob("*.pdf"))


def evaluate(engine: str) -> dict[str, str]:
    from lit.extract.readers import read_document

    docs = {p: read_document(p, engine) for p in all_pdfs() if p.is_file()}
    common = gold_n = ours_n = 0
    order_hit = 0
    for path, gold in gold_texts().items():
        doc = docs[path]
        g = words(gold)
        o = words(" ".join(doc.span(p) for s in doc.sections for p in s.paragraphs))
        common += sum((Counter(g) & Counter(o)).values())
        gold_n += len(g)
        ours_n += len(o)
        order_hit += lcs(g, o)
    heads_found = heads_total = 0
    for path, gold in gold_headings().items():
        doc = docs[path]
        ours = [doc.span(s.heading) for s in doc.sections if s.heading is not None]
        if path.name == "0807.3577.pdf":  # its table of contents lists them first; the body counts
            ours = ours[ours.index("6. Conclusions") + 1 :] if "6. Conclusions" in ours else ours
        heads_found += lcs(gold, ours)
        heads_total += len(gold)
    running = 0
    for doc in docs.values():
        blocks = [doc.span(b) for b in doc.blocks()]
        running += sum(1 for b in blocks if re.fullmatch(r"(?:page\s*)?\d{1,4}(?:\s*of\s*\d+)?", b, re.I))
        running += sum(n for b, n in Counter(blocks).items() if n >= 3 and len(b) > 10)
    titles = gold_titles()
    whole = sum(1 for p, t in titles.items() if p in docs and docs[p].info.title == t)
    read = [p for p in titles if p in docs]
    return {
        "body word recall": f"{common / gold_n:.4f}",
        "body word precision": f"{common / ours_n:.4f}",
        "reading order (word LCS / gold)": f"{order_hit / gold_n:.4f}",
        "heading recall (in order)": f"{heads_found}/{heads_total}",
        "running headers / page numbers left": str(running),
        "titles whole": f"{whole}/{len(read)}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    results = {engine: evaluate(engine) for engine in ("pdfminer", "pdfium")}
    gold = gold_texts()
    print(f"# gold body text: {', '.join(p.name for p in gold)}; {len(all_pdfs())} PDFs read")
    print(f"| metric | {' | '.join(results)} |")
    print(f"|---|{'---|' * len(results)}")
    for metric in next(iter(results.values())):
        print(f"| {metric} | {' | '.join(r[metric] for r in results.values())} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
