"""``sofc_exp``: facts derived from SOFC-Exp experiment frames (45 CC-BY fuel-cell papers).

SOFC-Exp (Friedrich et al., ACL 2020) annotates *experiment frames*: a trigger word with
slot fillers (spans) in a role: materials (``anode_material``, ``cathode_material``,
``electrolyte_material``, ``interlayer_material``, ``support_material``), a device, and
values (``conductivity``, ``open_circuit_voltage``, ``power_density``, ``resistance``...).
A gold fact is made from each value slot whose role is a property of lit's vocabulary
(:data:`ROLE_LABELS`); the other value roles are counted (``role_not_in_vocabulary:<role>``).

**Which material a value belongs to.** The frames do not say: a value is a slot of the
experiment, not of one of its materials, and the material roles name the part of the cell
(anode, electrolyte...), not the material that has the value. So every material of the frame
is an accepted name of the fact (any one of them matches; one gold fact per value, so only
one prediction can take it). A value whose frame has no material cannot be a fact
(``gold_dropped:no material``). A value span in two frames (linked experiments) is one fact,
with the materials of both.

**Conductivity.** The slot does not say ionic or electrical, and lit has both properties;
either of them matches, reported under the label ``conductivity`` (:data:`GROUPS`).

**What lit reads.** Only the experiment sentences of each paper (and any other sentence a
frame has a span in), in order, one paragraph each: frames are annotated only there, so
predictions elsewhere could not be scored, and the whole papers are ten times longer. Values
that lit's guideline does not count as values (bounds: "higher than 1.1 V") or that have no
unit are dropped from gold and counted; a fact stated twice in a paper is one fact.

Dev/test: by paper, the SHA-256 bucket of the PMC id (:func:`split_of`), about half each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from lit.errors import CorpusError
from lit.extract.normalize.properties import PropertyVocabulary
from lit.models.corpora.spec import corpora_root, require_file
from lit.models.corpora.splits import hash_bucket

from .gold import SPLITS, BenchSet, BenchText, GoldFact, distinct, gold_numbers, paragraphs_document

NAME = "sofc_exp"
FOLDER = "sofc_exp/sofc-exp-corpus"
#: Value roles that are properties of lit's vocabulary: role -> the set's label.
ROLE_LABELS: dict[str, str] = {"conductivity": "conductivity", "open_circuit_voltage": "open_circuit_voltage"}
#: lit's canonical properties -> the set's labels.
GROUPS: dict[str, str] = {"ionic_conductivity": "conductivity", "electrical_conductivity": "conductivity"}
#: The vocabulary property whose canonical unit a label's gold values are converted to.
_UNIT_OF = {"conductivity": "ionic_conductivity", "open_circuit_voltage": "open_circuit_voltage"}
#: "63 Scm−1": a unit written without its space, which lit's unit parser does not read; the
#: gold value is still 63 S cm-1 (a fact lit misses, not one to drop).
_GLUED_UNIT = re.compile(r"\bScm(?=[−-])")
_MATERIAL_ROLES = ("anode_material", "cathode_material", "electrolyte_material", "interlayer_material",
                   "support_material")
#: Roles that are neither materials nor values of a property: the device, the fuel, the
#: operating temperature (a condition), and so on; never counted as missing vocabulary.
_NOT_PROPERTIES = ("device", "fuel_used", "working_temperature", "time_of_operation")


def split_of(pmc: str) -> str:
    """``dev`` for buckets 0-49 of the paper's id, ``test`` for the rest."""
    return "dev" if hash_bucket(f"{NAME}/{pmc}") < 50 else "test"


def papers(root: Path) -> list[str]:
    folder = root / FOLDER / "annotations" / "frames"
    if not folder.is_dir():
        raise CorpusError(f"{folder}: SOFC-Exp frames not found (set LIT_CORPORA)")
    return sorted(p.stem for p in folder.glob("PMC*.csv"))


def _frames(path: Path) -> tuple[dict[str, tuple[str, int, int, int]], list[list[tuple[str, str]]]]:
    """Spans (id -> type, sentence, begin, end) and frames (lists of (role, span id))."""
    spans: dict[str, tuple[str, int, int, int]] = {}
    frames: list[list[tuple[str, str]]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "SPAN":
                spans[cols[1]] = (cols[2], int(cols[3]), int(cols[4]), int(cols[5]))
            elif cols[0] == "EXPERIMENT":
                frames.append([])
            elif cols[0] == "" and len(cols) >= 3 and frames:
                frames[-1].append((cols[1], cols[2]))
    return spans, frames


def paper(root: Path, pmc: str, split: str, vocab: PropertyVocabulary, counts: dict[str, int]) -> BenchText:
    """One paper's annotated sentences as a Document and the facts its frames state."""
    base = root / FOLDER
    raw = require_file(base / "texts" / f"{pmc}.txt").read_text(encoding="utf-8")
    sentences: dict[int, str] = {}
    experiment: set[int] = set()
    with require_file(base / "annotations" / "sentences" / f"{pmc}.csv").open(encoding="utf-8") as fh:
        for line in fh:
            sid, is_exp, begin, end = (int(c) for c in line.split("\t"))
            sentences[sid] = raw[begin:end]
            if is_exp:
                experiment.add(sid)
    spans, frames = _frames(require_file(base / "annotations" / "frames" / f"{pmc}.csv"))

    def text(span_id: str) -> str:
        _, sid, begin, end = spans[span_id]
        return sentences[sid][begin:end]

    names: dict[str, list[str]] = defaultdict(list)  # value span id -> materials of its frames
    roles: dict[str, str] = {}
    for frame in frames:
        materials = [text(s) for role, s in frame if role in _MATERIAL_ROLES]
        for role, s in frame:
            if role in ROLE_LABELS:
                roles[s] = role
                names[s].extend(m for m in materials if m not in names[s])
            elif role not in _MATERIAL_ROLES and role not in _NOT_PROPERTIES:
                counts[f"role_not_in_vocabulary:{role}"] = counts.get(f"role_not_in_vocabulary:{role}", 0) + 1
    facts: list[GoldFact] = []
    for s, role in sorted(roles.items(), key=lambda kv: spans[kv[0]][1:]):
        label = ROLE_LABELS[role]
        numbers = "no material" if not names[s] else gold_numbers(vocab, _UNIT_OF[label], _GLUED_UNIT.sub("S cm", text(s)))
        if isinstance(numbers, str):
            counts[f"gold_dropped:{numbers}"] = counts.get(f"gold_dropped:{numbers}", 0) + 1
            continue
        first, *others = names[s]
        facts.append(GoldFact(first, label, numbers, tuple(others), sentences[spans[s][1]]))
    read = sorted(experiment | {sid for _, sid, _, _ in spans.values()})
    counts["sentences"] = counts.get("sentences", 0) + len(read)
    doc = paragraphs_document([sentences[sid] for sid in read], f"{NAME}/{pmc}")
    return BenchText(pmc, split, doc, distinct(facts, counts))


def load(split: str, corpora: Path | None = None, vocab: PropertyVocabulary | None = None) -> BenchSet:
    """The papers of ``split`` with their gold conductivity and open-circuit-voltage facts."""
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}: use {' or '.join(SPLITS)}")
    root = corpora_root(corpora)
    vocab = vocab or PropertyVocabulary.load()
    counts: dict[str, int] = {}
    texts = [paper(root, pmc, split, vocab, counts) for pmc in papers(root) if split_of(pmc) == split]
    return BenchSet(NAME, split, texts, frozenset(ROLE_LABELS.values()), GROUPS, counts=dict(sorted(counts.items())),
                    note="SOFC-Exp frames; any material of a value's frame is accepted; experiment sentences only")
