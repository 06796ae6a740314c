"""Write ``corpora/sample/semiconductors.pdf``: a two-column, two-page paper the project owns.

The sample corpus must contain a real PDF, and no third-party article may be committed, so
this script lays out our own text with the PDF operators directly (standard Helvetica, no
dependency). It deliberately has what real papers have and the PDF reader must undo: two
columns, a running header, page numbers, and words hyphenated across line ends.

Run ``python scripts/make_sample_pdf.py`` after editing the text; the PDF is committed.
"""

from __future__ import annotations

from pathlib import Path

TITLE = "Band gaps and melting points of common semiconductors and salts"
DOI = "DOI: 10.5555/lit.sample.2026.001"
AUTHORS = "D. Example and E. Sample"
HEADER = "lit Sample Reports 2026"

SECTIONS: list[tuple[str, list[str]]] = [
    ("Abstract", [
        "We collect room-temperature band gaps of elemental and compound semiconductors and the "
        "melting points of simple ionic salts, and compare them with values measured in our laboratory.",
    ]),
    ("1. Introduction", [
        "Silicon dominates electronics and photovoltaics. Its indirect band gap of 1.12 eV at 300 K is "
        "well matched to the solar spectrum, whereas gallium arsenide offers a direct gap: GaAs has a "
        "band gap of 1.42 eV at room temperature.",
        "Wide-gap semiconductors are preferred for power electronics and blue light emission. The band "
        "gap of GaN is 3.4 eV, and zinc oxide (ZnO) has a direct band gap of 3.37 eV with a large exciton "
        "binding energy of 60 meV.",
    ]),
    ("2. Results", [
        "The polytype 4H-SiC shows an indirect band gap of 3.26 eV, which together with its high thermal "
        "conductivity makes it attractive for high-voltage devices. Anatase TiO2 has a band gap of "
        "approximately 3.2 eV, while rutile absorbs at slightly longer wavelengths.",
        "Ionic salts melt at high temperatures. Sodium chloride (NaCl) melts at 801 \u00b0C, and the "
        "melting point of KCl is 770 \u00b0C. Alumina is far more refractory: Al2O3 has a melting point "
        "of 2072 \u00b0C.",
    ]),
    ("3. Conclusions", [
        "Band gaps between 1.1 and 3.4 eV and melting points between 770 and 2072 \u00b0C were "
        "reproduced for all compounds studied here.",
    ]),
]

PAGE_W, PAGE_H = 612, 792
MARGIN, GUTTER = 56, 20
COL_W = (PAGE_W - 2 * MARGIN - GUTTER) / 2
SIZE, LEADING = 10, 13
CHAR_W = 0.52 * SIZE  # rough Helvetica average; wrapping only needs to stay inside the column


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _wrap(text: str) -> list[str]:
    """Greedy wrap; long words that do not fit are hyphenated, as a typesetter would."""
    limit = int(COL_W / CHAR_W)
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if len(candidate) <= limit:
            line = candidate
            continue
        room = limit - len(line) - 2
        if len(word) >= 9 and room >= 4 and word.isalpha():
            lines.append(f"{line} {word[:room]}-")
            line = word[room:]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _layout() -> list[list[tuple[float, float, str, int, bool]]]:
    """Place every line: returns pages of (x, y, text, size, bold)."""
    pages: list[list[tuple[float, float, str, int, bool]]] = [[]]
    top = PAGE_H - MARGIN - 20
    y = top - 70  # room for the title block on page 1
    pages[0].append((MARGIN, PAGE_H - MARGIN - 30, TITLE, 15, True))
    pages[0].append((MARGIN, PAGE_H - MARGIN - 50, AUTHORS, 10, False))
    pages[0].append((MARGIN, PAGE_H - MARGIN - 64, DOI, 9, False))
    col = 0
    bottom = MARGIN + 30
    lines_per_col = 14  # short columns so that the text flows over two columns and two pages

    def place(text: str, size: int, bold: bool) -> None:
        nonlocal y, col
        if y < bottom or (top - y) / LEADING >= lines_per_col + (6 if len(pages) == 1 and col == 0 else 0):
            col += 1
            y = top - (70 if len(pages) == 1 else 0)
            if col == 2:
                pages.append([])
                col = 0
                y = top
        x = MARGIN + col * (COL_W + GUTTER)
        pages[-1].append((x, y, text, size, bold))
        y -= LEADING

    for heading, paragraphs in SECTIONS:
        place(heading, 11, True)
        for paragraph in paragraphs:
            for line in _wrap(paragraph):
                place(line, SIZE, False)
            y -= LEADING / 2
    return pages


def build_pdf() -> bytes:
    pages = _layout()
    objects: list[bytes] = []
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for number, lines in enumerate(pages, start=1):
        ops = [b"BT"]
        ops.append(b"/F1 8 Tf 1 0 0 1 %d %d Tm (%s) Tj" % (MARGIN, PAGE_H - 36, _escape(HEADER)))
        for x, y, text, size, bold in lines:
            font = b"/F2" if bold else b"/F1"
            ops.append(b"%s %d Tf 1 0 0 1 %.1f %.1f Tm (%s) Tj" % (font, size, x, y, _escape(text)))
        ops.append(b"/F1 9 Tf 1 0 0 1 %d 36 Tm (%d) Tj" % (PAGE_W // 2, number))
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {6 + 2 * (number - 1)} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info << /Title (%s) >> >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, _escape(TITLE), xref)
    return bytes(out)


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "corpora" / "sample" / "semiconductors.pdf"
    target.write_bytes(build_pdf())
    print(f"wrote {target} ({target.stat().st_size} bytes)")
