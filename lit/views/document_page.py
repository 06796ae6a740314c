"""``lit show``'s page: one document reviewed, its text with lit's mentions highlighted and
its facts as rows.

The text is drawn sentence by sentence with displaCy's entity style (``spacy.displacy``
renders each sentence's mentions), each sentence an anchor, so that every fact row links to
the sentence (or table row) it was read from. A confidence slider hides the rows below it.
A fact that carries a ``page`` (PDF provenance, where the reader gives one) shows it; the
column is left out when no fact has one.
"""

from __future__ import annotations

import bisect
from typing import Iterable, Sequence

from lit.extract.document import Document, Sentence, TextBlock
from lit.extract.facts import ENTITY_LABELS, Fact, Mention
from lit.extract.state import DocState
from lit.views.html import esc, number, page

#: displaCy colours per label (pale, so the text stays readable).
COLORS = {"COMPOUND": "#a6e3a1", "PROPERTY": "#89c4f4", "VALUE": "#f9c97c", "CONDITION": "#d7b8f3"}

_FILTER_SCRIPT = """
(function () {
  var slider = document.getElementById("min-confidence");
  var shown = document.getElementById("min-confidence-value");
  var count = document.getElementById("facts-shown");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.fact"));
  function apply() {
    var min = parseFloat(slider.value), visible = 0;
    rows.forEach(function (row) {
      var keep = parseFloat(row.getAttribute("data-confidence")) >= min;
      row.hidden = !keep;
      if (keep) { visible += 1; }
    });
    shown.textContent = min.toFixed(2);
    count.textContent = String(visible);
  }
  slider.addEventListener("input", apply);
  apply();
})();
"""


def state_page(state: DocState) -> str:
    """The page of a document the pipeline went through (:meth:`Extractor.analyse`): its
    mentions and facts from the one run of the models."""
    return document_page(state.doc, state.sentences, [m for ms in state.mentions for m in ms], state.result.facts)


def document_page(doc: Document, sentences: Sequence[Sentence], mentions: Iterable[Mention], facts: Sequence[Fact]) -> str:
    """The page: ``mentions`` and ``facts`` in ``doc.text`` offsets (as the pipeline gives them)."""
    mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
    anchors = _Anchors(doc, sentences)
    facts = sorted(facts, key=lambda f: (f.start, f.value_start or 0, f.property))
    info = doc.info
    title = info.title or info.source
    head = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">{esc(info.source)} · {esc(info.format)} · id <code>{esc(info.doc_id)}</code>'
        + (f" · DOI {esc(info.doi)}" if info.doi else "")
        + (f" · {esc(info.year)}" if info.year else "")
        + "</p>",
        f'<p class="meta">{len(facts)} facts, {len(mentions)} mentions, {len(sentences)} sentences'
        + (f" · models: {esc(', '.join(sorted({f.model for f in facts})))}" if facts else "")
        + "</p>",
    ]
    body = "\n".join(head + [_facts_table(facts, anchors), _text(doc, sentences, mentions)])
    return page(f"lit: {title}", body, _FILTER_SCRIPT)


class _Anchors:
    """Which element of the page holds an offset of the text: a sentence or a table row."""

    def __init__(self, doc: Document, sentences: Sequence[Sentence]):
        spans = [(s.start, s.end, f"s-{s.index}") for s in sentences]
        spans += [(row[0].start, row[-1].end, f"r-{row[0].start}") for table in doc.tables for row in table.rows if row]
        spans.sort()
        self._starts = [s for s, _, _ in spans]
        self._spans = spans

    def of(self, offset: int) -> str | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self._spans[i][0] <= offset < self._spans[i][1]:
            return self._spans[i][2]
        return None


def _facts_table(facts: Sequence[Fact], anchors: _Anchors) -> str:
    pages = any(f.page is not None for f in facts)
    head = (
        "<tr><th>compound</th><th>property</th><th class=\"num\">value</th><th>unit</th>"
        "<th class=\"num\">confidence</th><th>flags</th>" + ("<th class=\"num\">page</th>" if pages else "")
        + "<th>conditions</th><th>evidence</th></tr>"
    )
    rows = []
    for fact in facts:
        value = number(fact.value, 6) + (f"–{number(fact.value_max, 6)}" if fact.value_max is not None else "")
        target = anchors.of(fact.start)
        where = f'<a href="#{target}">{esc(_short(fact.sentence))}</a>' if target else esc(_short(fact.sentence))
        conditions = "<br>".join(f"{esc(k)}: {esc(v)}" for k, v in sorted(fact.conditions.items()))
        rows.append(
            f'<tr class="fact" data-confidence="{fact.confidence:.4f}">'
            f"<td>{esc(fact.compound)}</td><td>{esc(fact.property)}</td>"
            f'<td class="num">{esc(value)}</td><td>{esc(fact.unit)}</td>'
            f'<td class="num">{fact.confidence:.2f}</td><td class="flags">{esc(", ".join(fact.flags))}</td>'
            + (f'<td class="num">{esc(fact.page)}</td>' if pages else "")
            + f'<td class="muted">{conditions}</td><td>{where}</td></tr>'
        )
    table = f'<table class="rows" id="facts"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
    if not facts:
        table = '<p class="muted" id="facts">No facts were found in this document.</p>'
    return (
        "<h2>Facts</h2>\n"
        '<div class="filter"><label for="min-confidence">minimum confidence</label>'
        '<input type="range" id="min-confidence" min="0" max="1" step="0.05" value="0">'
        '<span id="min-confidence-value">0.00</span>'
        f'<span><span id="facts-shown">{len(facts)}</span> of {len(facts)} facts shown</span></div>\n'
        + table
    )


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(doc: Document, sentences: Sequence[Sentence], mentions: Sequence[Mention]) -> str:
    """The document in reading order: prose blocks sentence by sentence, tables row by row."""
    items: list[tuple[int, str]] = []
    by_start = sorted(sentences, key=lambda s: s.start)
    starts = [s.start for s in by_start]
    mention_starts = [m.start for m in mentions]
    for block in doc.blocks():
        lo, hi = bisect.bisect_left(starts, block.start), bisect.bisect_left(starts, block.end)
        parts = [_sentence(s, mentions, mention_starts) for s in by_start[lo:hi]]
        items.append((block.start, f'<div class="block {block.kind}">{" ".join(parts)}</div>'))
    for table in doc.tables:
        if table.rows:
            items.append((table.rows[0][0].start, _table(doc, table.rows)))
    items.sort(key=lambda item: item[0])
    legend = "".join(f'<mark style="background: {COLORS[label]}; padding: .1em .4em">{label}</mark>' for label in ENTITY_LABELS)
    return f'<h2>Text</h2>\n<p class="legend">{legend}</p>\n<div id="text">\n' + "\n".join(html for _, html in items) + "\n</div>"


def _sentence(sentence: Sentence, mentions: Sequence[Mention], mention_starts: list[int]) -> str:
    from spacy import displacy

    ents = []
    last = sentence.start
    for m in mentions[bisect.bisect_left(mention_starts, sentence.start) : bisect.bisect_left(mention_starts, sentence.end)]:
        if m.start >= last and m.end <= sentence.end:  # displaCy needs them apart and inside
            ents.append({"start": m.start - sentence.start, "end": m.end - sentence.start, "label": m.label})
            last = m.end
    markup = displacy.render(
        {"text": sentence.text, "ents": ents, "title": None},
        style="ent", manual=True, jupyter=False, options={"colors": COLORS},
    )
    return f'<div class="sentence" id="s-{sentence.index}">{markup}</div>'


def _table(doc: Document, rows: Sequence[Sequence[TextBlock]]) -> str:
    out = []
    for row in rows:
        cells = "".join(f"<td>{esc(doc.span(cell))}</td>" for cell in row)
        out.append(f'<tr id="r-{row[0].start}">{cells}</tr>')
    return f'<table class="doc-table">{"".join(out)}</table>'
