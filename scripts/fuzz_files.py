"""Fuzz lit's readers and batch runner with hostile files, and report what became of each.

Writes a folder of cases and runs one batch over it (``run_batch``, as ``lit extract`` does,
with the per-file limits of :mod:`lit.extract.workers`):

* good files (the sample corpus and generated pages with a property table), which must all be
  extracted with facts whatever else is in the batch;
* the hostile files of the robustness issue, built here: PDFs whose references loop, a page of
  scattered glyphs whose layout analysis takes minutes, a Flate bomb, CALS tables with
  ``colnum="20000000"``/``"²"``/5,000 digits, HTML spans of 100, 300 and 2,100 unclosed tags,
  a 120 KB run-on sentence, a 1 MB line, UTF-16/UTF-32 files, a stray byte in a UTF-8 page,
  file names that are not UTF-8, NUL bytes, an empty file;
* seeded mutations of the shared fixtures (``LIT_FIXTURES``): truncation, byte flips, chunk
  duplication, a wrong extension, re-encoding as UTF-16, deep nesting, a huge line inserted.

The report: files tried, outcomes by error code, tracebacks (E999 "unexpected" errors, E998
worker deaths, anything escaping the batch), hangs (files without an outcome), files stopped
by the time limit (E109) or memory cap (E110), the peak resident memory of any worker, and
the good files that were not extracted. Exit 0 when there are no tracebacks, no hangs, no
file over the memory cap and every good file gave facts.

    python scripts/fuzz_files.py                      # CI size: ~90 files, a few minutes
    python scripts/fuzz_files.py --size long --models # opt-in: ~500 files, the trained models

Without ``--models`` workers load the rules-only extractor: the readers and limits are what
is fuzzed, and a model load per replaced worker would dominate the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIZES = {"ci": {"mutations": 40, "timeout_s": 10.0}, "long": {"mutations": 400, "timeout_s": 60.0}}
#: Codes that mean lit did not foresee what happened: a bug, whatever the input.
TRACEBACK_CODES = {"E999", "E998"}


def rules_only(model: str | None) -> object:
    """Worker loader without NER or relation model (module level: spawn pickles it by name)."""
    from lit.extract.pipeline import Extractor

    return Extractor(None)


# -- building files -------------------------------------------------------------------------------
def pdf(objects: list[bytes]) -> bytes:
    """A syntactically valid PDF from object bodies (numbered from 1), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def page_pdf(content: bytes, filters: bytes = b"") -> bytes:
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(content), filters) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def good_html(i: int) -> str:
    rows = "".join(f"<tr><td>{c}</td><td>{1.1 + (i + r) % 30 / 10:.1f}</td></tr>"
                   for r, c in enumerate(("ZnO", "GaN", "TiO2")))
    return (f"<html><head><meta charset='utf-8'><title>Fuzz control {i}</title></head><body><article>"
            f"<h1>Fuzz control {i}</h1><p>The band gap of CdTe is 1.5 eV in sample {i}.</p>"
            "<table><thead><tr><th>Compound</th><th>Band gap (eV)</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></article></body></html>")


def cals(colnum: str, morerows: str) -> bytes:
    return f"""<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>Oxides</article-title></title-group></article-meta>
</front><body><sec><title>Results</title><p>The band gap of TiO2 is 3.2 eV.</p><table-wrap><table>
<tgroup cols="2"><colspec colname="c1" colnum="1"/><colspec colname="c2" colnum="{colnum}"/>
<thead><row><entry colname="c1">Compound</entry><entry colname="c2">Band gap (eV)</entry></row></thead>
<tbody><row><entry colname="c1">ZnO</entry><entry colname="c2" morerows="{morerows}">3.37</entry></row></tbody>
</tgroup></table></table-wrap></sec></body></article>""".encode()


def hostile_cases() -> dict[bytes, bytes]:
    """The files of the robustness issue, by file name (bytes: some names are not UTF-8)."""
    packer = zlib.compressobj(9)
    bomb = b"".join(packer.compress(b" " * 2**20) for _ in range(1024)) + packer.flush()  # 1 GiB
    glyphs = b"BT /F1 6 Tf " + b"".join(
        b"1 0 0 1 %d %d Tm (%c) Tj " % ((i * 7919) % 600, (i * 104729) % 780, 97 + i % 26) for i in range(12_000)) + b"ET"
    words = "the band gap of TiO2 is 3.2 eV and CH3NH3PbI3 shows 1.55 eV at 300 K and".split()
    runon = " ".join(words[i % len(words)] for i in range(28_000)) + "."
    spans = "".join("<tr>" + '<td rowspan="100" colspan="100">x</td>' * 10 + "</tr>" for _ in range(130))
    page = good_html(0)
    return {
        b"loop-contents.pdf": pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R >>",
            b"<< /Length 3 >>\nstream\nabc\nendstream", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"7 0 R", b"6 0 R"]),
        b"loop-root.pdf": pdf([b"1 0 R"]),
        b"scattered-glyphs.pdf": page_pdf(glyphs),
        b"flate-bomb.pdf": page_pdf(bomb, b"/Filter /FlateDecode "),
        b"cals-colnum-huge.xml": cals("20000000", "0"),
        b"cals-colnum-sup2.xml": cals("\u00b2", "\u00b2"),
        b"cals-colnum-5000-digits.xml": cals("9" * 5000, "9" * 5000),
        b"html-spans-100.html": f"<html><body><p>The band gap of TiO2 is 3.2 eV.</p><table>{spans}</table></body></html>".encode(),
        b"html-300-unclosed-font.html": page.replace("<article>", "<article>" + "<font>" * 300).encode(),
        b"html-2100-nested-div.html": page.replace("<article>", "<article>" + "<div>" * 2100).encode(),
        b"runon-120k.txt": ("A run-on text\n\n" + runon).encode(),
        b"huge-line.txt": b"The band gap of TiO2 is 3.2 eV.\n\n" + b"x" * 2**20 + b"\n",
        b"utf16.html": page.encode("utf-16"),
        b"utf16-le-nobom.html": page.encode("utf-16-le"),
        b"utf32.xml": cals("2", "0").decode().replace('version="1.0"', 'version="1.0" encoding="UTF-32"').encode("utf-32"),
        b"stray-byte.html": page.encode().replace(b"sample", b"sampl\xe9", 1),
        b"name-not-utf8-\xe9\xff.html": page.replace("sample", "named sample").encode(),
        b"nul-bytes.txt": bytes(range(256)) * 8,
        b"empty.txt": b"",
    }


def mutate(data: bytes, suffix: str, op: str, rng: random.Random) -> tuple[bytes, str]:
    """One mutation of a fixture's bytes; returns the new bytes and file suffix."""
    n = len(data)
    if op == "truncate":
        return data[: rng.randrange(1, max(2, n))], suffix
    if op == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 64)):
            out[rng.randrange(n)] = rng.randrange(256)
        return bytes(out), suffix
    if op == "duplicate":
        a = rng.randrange(n)
        b = min(n, a + rng.randint(1, 65536))
        at = rng.randrange(n)
        return data[:at] + data[a:b] * rng.randint(1, 20) + data[at:], suffix
    if op == "extension":
        return data, rng.choice([s for s in (".pdf", ".html", ".xml", ".txt") if s != suffix])
    if op == "utf16":
        try:
            return data.decode("utf-8").encode(rng.choice(["utf-16", "utf-16-le", "utf-32"])), suffix
        except UnicodeDecodeError:
            return data[::-1], suffix  # a binary file: reversed instead
    if op == "nest":
        tag = rng.choice([b"<font>", b"<div>", b"<span>", b"<sec>"])
        at = data.find(b"<body") if b"<body" in data else rng.randrange(n)
        return data[:at] + tag * rng.choice([300, 1000, 3000]) + data[at:], suffix
    if op == "hugeline":
        at = rng.randrange(n)
        return data[:at] + b"1.5 eV " * rng.randint(20_000, 150_000) + data[at:], suffix
    raise ValueError(op)


OPS = ("truncate", "flip", "duplicate", "extension", "utf16", "nest", "hugeline")


def write_cases(root: Path, fixtures: Path | None, mutations: int, seed: int) -> tuple[list[str], dict[str, str]]:
    """Write every case under ``root``; returns (good file paths, case kind by path)."""
    from lit.extract.readers import SUFFIXES

    root.mkdir(parents=True)
    kinds: dict[str, str] = {}
    good = []
    for sample in sorted((REPO / "corpora" / "sample").iterdir()):
        target = root / f"good-{sample.name}"
        shutil.copy(sample, target)
        good.append(str(target))
    for i in range(6):
        target = root / f"good-control-{i}.html"
        target.write_text(good_html(i + 1), encoding="utf-8")
        good.append(str(target))
    kinds.update({path: "good" for path in good})
    raw_root = os.fsencode(root)
    for name, data in hostile_cases().items():
        with open(os.path.join(raw_root, b"hostile-" + name), "wb") as fh:
            fh.write(data)
        kinds[os.fsdecode(os.path.join(raw_root, b"hostile-" + name))] = "hostile"
    sources = sorted(p for p in fixtures.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                     and p.stat().st_size < 3 * 2**20) if fixtures is not None and fixtures.is_dir() else []
    rng = random.Random(seed)
    for i in range(mutations if sources else 0):
        source = rng.choice(sources)
        op = OPS[i % len(OPS)]
        data, suffix = mutate(source.read_bytes(), source.suffix.lower(), op, rng)
        target = root / f"mut-{i:04d}-{op}-{source.stem[:40]}{suffix}"
        target.write_bytes(data)
        kinds[str(target)] = f"mutation:{op}"
    return good, kinds


# -- running ----------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict:
    from lit.extract.batch import run_batch
    from lit.extract.workers import ProcessPool

    work = Path(args.workdir or tempfile.mkdtemp(prefix="lit-fuzz-"))
    cases = work / "cases"
    if cases.exists():
        shutil.rmtree(cases)
    fixtures = Path(os.environ.get("LIT_FIXTURES", REPO.parent / "shared" / "fixtures"))
    size = SIZES[args.size]
    good, kinds = write_cases(cases, fixtures, args.mutations if args.mutations is not None else size["mutations"], args.seed)
    os.environ["LIT_FILE_TIMEOUT_S"] = str(args.timeout_s or size["timeout_s"])
    os.environ.setdefault("LIT_FILE_MAX_MB", "1024")
    if not args.models:
        ProcessPool.loader = staticmethod(rules_only)  # type: ignore[assignment]
    out = work / "facts.jsonl"
    escaped: list[str] = []
    started = time.monotonic()
    summary = None
    try:
        summary = run_batch([cases], out, str(work / "graph") if args.graph else None, workers=args.workers, restart=True)
    except Exception:  # noqa: BLE001 - the harness reports what escaped, that is its job
        escaped.append(traceback.format_exc())
    seconds = time.monotonic() - started
    outcomes = _outcomes(out)
    facts = Counter()
    if out.exists():
        for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
            facts[json.loads(line)["doc_id"]] += 1
    codes = Counter(o["code"] for o in outcomes.values() if not o["ok"])
    failures = [o for o in outcomes.values() if not o["ok"]]
    good_missing = [p for p in good if not (outcomes.get(p, {}).get("ok") and facts[outcomes[p]["info"]["doc_id"]])]
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return {
        "files": len(kinds),
        "succeeded": sum(o["ok"] for o in outcomes.values()),
        "clear_errors": sum(n for code, n in codes.items() if code not in TRACEBACK_CODES),
        "codes": dict(sorted(codes.items())),
        "tracebacks": sum(codes[c] for c in TRACEBACK_CODES) + len(escaped),
        "traceback_files": [o["source"] for o in failures if o["code"] in TRACEBACK_CODES],
        "escaped": escaped,
        "hangs": len(kinds) - len(outcomes),
        "hang_files": sorted(set(kinds) - set(outcomes)),
        "time_limited": codes.get("E109", 0),
        "over_memory": codes.get("E110", 0),
        "peak_mib": round(peak / 1024),
        "good_missing": good_missing,
        "seconds": round(seconds, 1),
        "workdir": str(work),
        "summary": summary.to_dict() if summary is not None else None,
    }


def _outcomes(out: Path) -> dict[str, dict]:
    """Each file's journal entry (its outcome) by path, as the batch recorded it."""
    journal = out.with_name(out.name + ".journal")
    found: dict[str, dict] = {}
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if "source" in entry:
                found[entry["source"]] = entry
    return found


def passed(report: dict, models: bool) -> bool:
    memory_ok = report["over_memory"] == 0 and (models or report["peak_mib"] < 1024)
    return not report["tracebacks"] and not report["hangs"] and not report["good_missing"] and memory_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="ci")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mutations", type=int, default=None, help="mutated fixtures (default by --size)")
    parser.add_argument("--timeout-s", type=float, default=None, help="per-file time limit (default by --size)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--models", action="store_true", help="workers load the trained models (slow)")
    parser.add_argument("--graph", action="store_true", help="write the embedded graph too")
    parser.add_argument("--workdir", default=None, help="where cases and results go (default: a new temp dir)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    args = parser.parse_args(argv)
    report = run(args)
    ok = passed(report, args.models)
    if args.json:
        print(json.dumps({**report, "passed": ok}, ensure_ascii=True))
    else:
        print(f"files tried {report['files']}, succeeded {report['succeeded']}, clear errors {report['clear_errors']} "
              f"{report['codes']}")
        print(f"tracebacks {report['tracebacks']}, hangs {report['hangs']}, stopped by the time limit "
              f"{report['time_limited']}, over the memory cap {report['over_memory']}, peak memory of a process "
              f"{report['peak_mib']} MiB, good files not extracted {len(report['good_missing'])}, {report['seconds']} s")
        for item in report["traceback_files"] + report["hang_files"] + report["good_missing"] + report["escaped"]:
            print(f"  {item}")
        print("PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
