"""MSPT synthesis procedures (BRAT standoff, real char offsets) -> Examples, one per paper.

The ``.txt`` of a paper is three lines (DOI, title, synthesis paragraph) and the ``.ann``
offsets index that file's characters exactly, so the Example text is the file's text
unchanged (read without newline translation) and spans are copied, not recomputed.

Values: the corpus annotates a number and its unit as two entities joined by
``Number_Of(Number, X-Unit)``. A unit is merged with the number it is linked to when only
whitespace separates them (``120 degC``, ``9.5 mmol``, ``pH 7``); a unit that no Number_Of
links (an annotation gap, ~400 in train) is merged with a free Number at most one space
away. Either way one VALUE spans both, with
``source_label="Number+X-Unit"``; the unit stays visible in ``source_label`` so a consumer
can keep or drop, e.g., amounts. A Number that is not adjacent to a linked unit (lists such
as ``0.1, 0.2 and 0.4 M``, or unitless counts) is a VALUE by itself (``source_label
"Number"``); a unit merged with no number is dropped, and its links pass to the numbers
linked to it by Number_Of (``molar ratio`` ... ``6:3:1``). Every Number is therefore exactly one
VALUE. Links are kept where both ends have a unified label (see ``models/LABELS.md``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lit.models.corpus import EntitySpan, Example, RelationLink

from .spec import CorpusSpec, check_split, require_file
from .tokens import tokenize_with_spans

FOLDER = "mspt_synthesis"
UNITS = ("Amount-Unit", "Condition-Unit", "Property-Unit", "Apparatus-Unit")

SPEC = CorpusSpec(
    name="mspt",
    folder=FOLDER,
    source_repo="https://github.com/olivettigroup/annotated-materials-syntheses",
    commit="dd6abd1774c8c573fa99ef937ee2c44301e021cc",
    licence="MIT",
    label_map={
        "Material": "COMPOUND",
        "Nonrecipe-Material": "COMPOUND",
        "Number": "VALUE",
        "Number+Amount-Unit": "VALUE",
        "Number+Condition-Unit": "VALUE",
        "Number+Property-Unit": "VALUE",
        "Number+Apparatus-Unit": "VALUE",
        "Property-Type": "PROPERTY",
    },
    dropped={
        "Amount-Unit/Condition-Unit/Property-Unit/Apparatus-Unit": "merged into the VALUE of their "
        "adjacent linked Number; a unit with no adjacent linked number is dropped",
        "Property-Misc": "mostly form/morphology descriptors (catalyst, powder, nanoparticles, films), "
        "not property names; dropped like MatScholar DSC",
        "Condition-Misc": "mostly procedure modifiers (overnight, several times, slowly, dropwise); "
        "synthesis conditions, not measurement conditions",
        "Condition-Type": "names a process parameter (temperature, atmosphere, heating rate) of an "
        "operation, not a property of a compound",
        "Operation, Material-Descriptor, Synthesis-Apparatus, Characterization-Apparatus, "
        "Apparatus-Descriptor, Apparatus-Property-Type, Brand, Amount-Misc, Reference, Meta": "no "
        "counterpart in the fact schema",
    },
    splits={
        "train": "ner-train-fnames.txt",
        "validation": "ner-dev-fnames.txt",
        "test": "ner-test-fnames.txt",
    },
    converter="lit.models.corpora.mspt",
    relation_map={
        "Amount_Of(Amount-Unit, Material)": "compound_of (Material -> merged VALUE)",
        "Property_Of(Property-Unit, Material)": "compound_of (Material -> merged VALUE)",
        "Type_Of(Property-Type, Property-Unit)": "property_of (Property-Type -> merged VALUE)",
        "Number_Of": "consumed by the number+unit merge",
        "others (Next_Operation, Condition_Of, Descriptor_Of, Coref_Of, ...)": "dropped: an end has no unified label",
    },
    notes="one Example per paper (DOI, title and paragraph lines, offsets exact); NER split lists",
)

#: (BRAT relation, head type prefix) -> unified link type, head = entity with the unified label.
_LINKS = {
    ("Amount_Of", "Amount-Unit"): "compound_of",
    ("Property_Of", "Property-Unit"): "compound_of",
    ("Type_Of", "Property-Unit"): "property_of",
}


@dataclass(frozen=True, slots=True)
class Brat:
    """One parsed ``.ann``: text-bound entities and binary relations (events are ignored)."""

    entities: dict[str, tuple[str, int, int, str]]  # id -> (type, start, end, text)
    relations: list[tuple[str, str, str]]  # (type, arg1 id, arg2 id)
    fragmented: int  # discontinuous entities, kept as their covering span


def parse_ann(path: Path) -> Brat:
    """The T and R lines of a BRAT ``.ann`` file."""
    entities: dict[str, tuple[str, int, int, str]] = {}
    relations: list[tuple[str, str, str]] = []
    fragmented = 0
    with open(require_file(path), encoding="utf-8", newline="") as fh:
        for line in fh:
            fields = line.rstrip("\r\n").split("\t")
            if fields[0].startswith("T"):
                kind, _, offsets = fields[1].partition(" ")
                pieces = [p.split() for p in offsets.split(";")]
                if len(pieces) > 1:
                    fragmented += 1
                entities[fields[0]] = (kind, int(pieces[0][0]), int(pieces[-1][1]), fields[2])
            elif fields[0].startswith("R"):
                kind, arg1, arg2 = fields[1].split()
                relations.append((kind, arg1.split(":", 1)[1], arg2.split(":", 1)[1]))
    return Brat(entities, relations, fragmented)


def split_names(root: Path, split: str) -> list[str]:
    """The paper file names (without extension) of ``split``, in list order."""
    path = require_file(root / FOLDER / SPEC.splits[check_split(split)])
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def source_files(root: Path) -> list[Path]:
    """The split lists and every paper's ``.txt`` and ``.ann``."""
    files = [root / FOLDER / rel for rel in SPEC.splits.values()]
    for split in SPEC.splits:
        for name in split_names(root, split):
            files += [root / FOLDER / "data" / f"{name}.txt", root / FOLDER / "data" / f"{name}.ann"]
    return files


def load(root: Path, split: str) -> list[Example]:
    """All papers of ``split`` as Examples (ids ``mspt/<split>/<file name>``)."""
    return [convert(root, split, name, Counter()) for name in split_names(root, split)]


def merge_stats(root: Path, split: str) -> Counter[str]:
    """How numbers and units were merged, and how many links were kept or dropped."""
    stats: Counter[str] = Counter()
    for name in split_names(root, split):
        convert(root, split, name, stats)
    return stats


def convert(root: Path, split: str, name: str, stats: Counter[str]) -> Example:
    """One paper as an Example; ``stats`` collects the merge and link counts."""
    data = root / FOLDER / "data"
    with open(require_file(data / f"{name}.txt"), encoding="utf-8", newline="") as fh:
        text = fh.read()
    brat = parse_ann(data / f"{name}.ann")
    stats["fragmented_entity"] += brat.fragmented
    unit_of = _merge_partners(text, brat, stats)

    spans: list[tuple[int, int, str, str]] = []  # start, end, label, source
    index: dict[str, int] = {}  # BRAT id -> entity index (a merged unit maps to its VALUE)
    for tid, (kind, start, end, _t) in sorted(brat.entities.items(), key=lambda kv: kv[1][1:3]):
        if kind == "Number":
            unit = unit_of.get(tid)
            if unit is not None:
                ukind, ustart, uend, _u = brat.entities[unit]
                index[unit] = len(spans)
                start, end, kind = min(start, ustart), max(end, uend), f"Number+{ukind}"
        elif kind in UNITS or kind not in SPEC.label_map:
            continue
        index[tid] = len(spans)
        spans.append((start, end, SPEC.label_map[kind], kind))
    order = sorted(range(len(spans)), key=lambda i: spans[i][:2])
    new_pos = {old: new for new, old in enumerate(order)}
    entities = [EntitySpan(*spans[i]) for i in order]
    index = {tid: new_pos[i] for tid, i in index.items()}

    # A unit left unmerged (a ratio phrase, a list) passes its links to the numbers it qualifies.
    targets: dict[str, list[int]] = {tid: [i] for tid, i in index.items()}
    for kind, num, unit in brat.relations:
        if kind == "Number_Of" and unit not in index and num in index:
            targets.setdefault(unit, []).append(index[num])
    links: list[RelationLink] = []
    for kind, arg1, arg2 in brat.relations:
        head_type = brat.entities.get(arg1, ("",))[0]
        link = _LINKS.get((kind, head_type)) or _LINKS.get((kind, brat.entities.get(arg2, ("",))[0]))
        if link is None:
            continue
        # Amount_Of/Property_Of: arg1 is the unit (-> VALUE), arg2 the material.
        # Type_Of: arg1 is the Property-Type, arg2 the unit (-> VALUE).
        prop, value = (arg1, arg2) if kind == "Type_Of" else (arg2, arg1)
        if prop in index and value in targets:
            for tail in targets[value]:
                links.append(RelationLink(index[prop], tail, link))
            stats[f"link_kept:{kind}"] += 1
        else:
            stats[f"link_dropped:{kind}"] += 1
    tokens = tokenize_with_spans(text, [(e.start, e.end) for e in entities])
    return Example(id=f"mspt/{split}/{name}", corpus="mspt", split=split, text=text,
                   tokens=tokens, entities=entities, links=links)


def _merge_partners(text: str, brat: Brat, stats: Counter[str]) -> dict[str, str]:
    """Number id -> unit id: Number_Of pairs separated only by whitespace, then unlinked adjacent units."""
    partner: dict[str, str] = {}
    taken: set[str] = set()
    for kind, num, unit in brat.relations:
        if kind != "Number_Of" or num in partner or unit in taken:
            continue
        if brat.entities.get(num, ("",))[0] != "Number" or brat.entities.get(unit, ("",))[0] not in UNITS:
            stats["number_of_other_types"] += 1
            continue
        _k, ns, ne, _n = brat.entities[num]
        _u, us, ue, _t = brat.entities[unit]
        gap = text[ne:us] if ne <= us else text[ue:ns]
        if gap.strip() == "" and "\n" not in gap:
            partner[num] = unit
            taken.add(unit)
            stats["merged_number_unit"] += 1
        else:
            stats["number_of_not_adjacent"] += 1
    linked = {unit for kind, _n, unit in brat.relations if kind == "Number_Of"}
    numbers = [(s, e, tid) for tid, (k, s, e, _t) in brat.entities.items() if k == "Number"]
    for uid, (kind, us, ue, _t) in brat.entities.items():
        if kind not in UNITS or uid in linked:
            continue
        for ns, ne, nid in numbers:
            gap = text[ne:us] if ne <= us else text[ue:ns]
            if nid not in partner and gap.strip() == "" and "\n" not in gap and len(gap) <= 1:
                partner[nid] = uid
                taken.add(uid)
                stats["merged_adjacent_unlinked"] += 1
                break
    units = sum(1 for e in brat.entities.values() if e[0] in UNITS)
    stats["unit_dropped"] += units - len(taken)
    return partner
