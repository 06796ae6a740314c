"""SOFC-Exp (solid oxide fuel cell experiment frames, Friedrich et al., ACL 2020) -> Examples.

The corpus annotates *experiment frames*: a frame-evoking word (``EXPERIMENT:current_exp``,
"generated", "measured") with slot fillers, each slot a role such as ``anode_material``,
``power_density`` or ``working_temperature``. The fillers are MATERIAL, VALUE (number with
unit, "1.07 V") or DEVICE spans. Texts are PDF extractions, one sentence per line; span
offsets are relative to the sentence (``annotations/sentences`` gives sentence offsets in
the text file).

How frames become relation instances (there is no PROPERTY mention: the slot role *is* the
property, and the text often names it only implicitly):

- **Mentions**: MATERIAL -> COMPOUND, VALUE -> VALUE, except the VALUE fillers of
  ``working_temperature`` -> CONDITION (a temperature the other values were measured at).
  DEVICE ("fuel cell") and the frame-evoking words are dropped: no counterpart.
- **compound_of**: every filler of a ``*_material`` role (anode, cathode, electrolyte,
  support, interlayer) -> every VALUE filler of a property role (conductivity,
  open_circuit_voltage, power_density, resistance, current_density, voltage,
  degradation_rate, time_of_operation) of the same frame; ``fuel_used`` (air, hydrogen,
  methane: the atmosphere) is not a compound of the value and stays an unlinked COMPOUND.
  The corpus's ``thickness`` links (MATERIAL -> VALUE) are compound_of too.
- **condition_of**: each ``working_temperature`` filler -> each property VALUE of its frame.
- **No property_of links and no tuples**: a tuple needs a property mention, which the
  corpus does not mark. SOFC-Exp therefore trains and scores the compound and condition
  links only (pair metrics; as MSPT, which has no tuples either). The role names are kept
  in ``source_label`` of each VALUE (``VALUE:power_density``) for audits.
- **Values with no role are left out**: a VALUE that fills no property or temperature role and
  has no thickness link (a particle size, a ratio, a second measurement nobody framed) was
  not annotated for relations, so it is not a mention; otherwise its unknown compound would be
  taught as "none". A property value of a frame without a material slot stays (that frame
  says there is none).
- **Examples**: the entities are annotated only in experiment sentences (and a few others),
  so an Example is a run of consecutive sentences that are experiment sentences or hold a
  slot filler, cut after :data:`MAX_SENTENCES` sentences; other sentences (partially
  annotated) are left out so that unannotated mentions are not taught as unlinked. A link
  whose ends fall into different Examples (a frame spanning a cut) is dropped and counted.
- **Splits**: the corpus's own document split (``set`` column of ``SOFC-Exp-Metadata.csv``:
  26 train, 8 dev, 11 test articles); dev is served as validation.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lit.models.corpus import EntitySpan, Example, RelationLink

from .spec import CorpusSpec, check_split, require_file
from .tokens import tokenize_with_spans

FOLDER = "sofc_exp"
BASE = "sofc-exp-corpus"
METADATA = f"{BASE}/SOFC-Exp-Metadata.csv"
MAX_SENTENCES = 5

MATERIAL_ROLES = frozenset(
    {"anode_material", "cathode_material", "electrolyte_material", "support_material", "interlayer_material"}
)
PROPERTY_ROLES = frozenset(
    {"conductivity", "open_circuit_voltage", "power_density", "resistance", "current_density", "voltage",
     "degradation_rate", "time_of_operation"}
)
CONDITION_ROLES = frozenset({"working_temperature"})

SPEC = CorpusSpec(
    name="sofc_exp",
    folder=FOLDER,
    source_repo="https://github.com/boschresearch/sofc-exp_textmining_resources",
    commit="bbf75fdda4ba68fe8041fdc2780acd2a134e9770",
    licence="annotations CC-BY-4.0; the 45 source articles are open-access CC-BY",
    label_map={"MATERIAL": "COMPOUND", "VALUE:<role>": "VALUE", "VALUE:working_temperature": "CONDITION"},
    dropped={
        "DEVICE": "a device (fuel cell, button cell), not a compound",
        "EXPERIMENT:*": "frame-evoking words (measured, showed); the frame itself becomes links",
    },
    splits={"train": "metadata set=train", "validation": "metadata set=dev", "test": "metadata set=test"},
    converter="lit.models.corpora.sofc_exp",
    relation_map={
        "frame: *_material filler -> property-role VALUE filler": "compound_of",
        "frame: working_temperature filler -> property-role VALUE filler": "condition_of",
        "LINK thickness (MATERIAL -> VALUE)": "compound_of",
        "fuel_used, device, same_experiment, experiment_variation, coreference": "dropped",
    },
    notes="no PROPERTY mentions (the slot role is the property), so no property_of links and no "
    "tuples; Examples are runs of up to 5 annotated sentences; the corpus's document split",
)


@dataclass(slots=True)
class Doc:
    """One article's text, sentences and frame annotation."""

    name: str
    text: str
    sentences: dict[int, tuple[bool, int, int]]  # id -> (experiment sentence, start, end)
    spans: dict[str, tuple[str, int, int, int]]  # span id -> (type, sentence id, start, end) (sentence-relative)
    frames: list[tuple[str, list[tuple[str, str]]]]  # (trigger span id, [(role, span id)])
    links: list[tuple[str, str, str]]  # (type, span id, span id)


def split_docs(root: Path) -> dict[str, list[str]]:
    """Document names per served split, in metadata order."""
    out: dict[str, list[str]] = {"train": [], "validation": [], "test": []}
    served = {"train": "train", "dev": "validation", "test": "test"}
    with open(require_file(root / FOLDER / METADATA), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[served[row["set"].strip()]].append(row["name"].strip())
    return out


def source_files(root: Path) -> list[Path]:
    """The metadata file and each article's text, sentence and frame files."""
    base = root / FOLDER / BASE
    files = [root / FOLDER / METADATA]
    for split in ("train", "validation", "test"):
        for name in split_docs(root)[split]:
            files += [base / "texts" / f"{name}.txt", base / "annotations" / "sentences" / f"{name}.csv",
                      base / "annotations" / "frames" / f"{name}.csv"]
    return files


def read_doc(root: Path, name: str) -> Doc:
    """Parse one article's text, sentence offsets and frames file."""
    base = root / FOLDER / BASE
    with open(require_file(base / "texts" / f"{name}.txt"), encoding="utf-8", newline="") as fh:
        text = fh.read()
    sentences: dict[int, tuple[bool, int, int]] = {}
    with open(require_file(base / "annotations" / "sentences" / f"{name}.csv"), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                sid, label, start, end = line.rstrip("\n").split("\t")[:4]
                sentences[int(sid)] = (label == "1", int(start), int(end))
    spans: dict[str, tuple[str, int, int, int]] = {}
    frames: list[tuple[str, list[tuple[str, str]]]] = []
    links: list[tuple[str, str, str]] = []
    with open(require_file(base / "annotations" / "frames" / f"{name}.csv"), encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\r\n").split("\t")
            if f[0] == "SPAN":
                spans[f[1]] = (f[2], int(f[3]), int(f[4]), int(f[5]))
            elif f[0] == "EXPERIMENT":
                frames.append((f[2], []))
            elif f[0] == "" and len(f) >= 3 and frames:
                frames[-1][1].append((f[1], f[2]))
            elif f[0] == "LINK":
                links.append((f[1], f[2], f[3]))
    return Doc(name, text, sentences, spans, frames, links)


def load(root: Path, split: str) -> list[Example]:
    """Examples of ``split`` (ids ``sofc_exp/<split>/<article>/<first sentence id>``)."""
    return [ex for name in split_docs(root)[check_split(split)] for ex in convert(root, split, name, Counter())]


def link_stats(root: Path, split: str) -> Counter[str]:
    """Counts of derived, kept and dropped links and of skipped spans for ``split``."""
    stats: Counter[str] = Counter()
    for name in split_docs(root)[check_split(split)]:
        convert(root, split, name, stats)
    return stats


def derived_links(doc: Doc, stats: Counter[str]) -> tuple[set[tuple[str, str, str]], set[str]]:
    """(head span id, value span id, link type) from the frames and thickness links, and the
    ids of the VALUE spans that fill a working_temperature role (they become CONDITION)."""
    links: set[tuple[str, str, str]] = set()
    conditions: set[str] = set()
    for _trigger, slots in doc.frames:
        mats = [s for r, s in slots if r in MATERIAL_ROLES and doc.spans[s][0] == "MATERIAL"]
        vals = [s for r, s in slots if r in PROPERTY_ROLES and doc.spans[s][0] == "VALUE"]
        temps = [s for r, s in slots if r in CONDITION_ROLES and doc.spans[s][0] == "VALUE"]
        stats["frame_material_not_material"] += sum(
            1 for r, s in slots if r in MATERIAL_ROLES and doc.spans[s][0] != "MATERIAL")
        conditions.update(temps)
        for v in vals:
            links.update((m, v, "compound_of") for m in mats)
            links.update((t, v, "condition_of") for t in temps)
    for kind, a, b in doc.links:
        if kind == "thickness" and doc.spans[a][0] == "MATERIAL" and doc.spans[b][0] == "VALUE":
            links.add((a, b, "compound_of"))
    clash = {v for _h, v, _t in links} & conditions
    if clash:  # a value that is a temperature in one frame and a property value in another
        stats["condition_and_value_span"] += len(clash)
        conditions -= clash
        links = {lk for lk in links if lk[0] not in clash}
    return links, conditions


def convert(root: Path, split: str, name: str, stats: Counter[str]) -> list[Example]:
    """One article's Examples; ``stats`` collects link and span counts."""
    doc = read_doc(root, name)
    links, conditions = derived_links(doc, stats)
    role = {s: r for _t, slots in doc.frames for r, s in slots if r in PROPERTY_ROLES}
    role.update({b: "thickness" for kind, _a, b in doc.links if kind == "thickness" and b not in role})
    filled = {s for _t, slots in doc.frames for _r, s in slots} | {x for _k, a, b in doc.links for x in (a, b)}
    keep_sent = {sid for sid, (exp, _s, _e) in doc.sentences.items() if exp}
    keep_sent |= {doc.spans[s][1] for s in filled if s in doc.spans}
    runs: list[list[int]] = []
    for sid in sorted(keep_sent):
        if runs and runs[-1][-1] == sid - 1 and len(runs[-1]) < MAX_SENTENCES:
            runs[-1].append(sid)
        else:
            runs.append([sid])
    examples: list[Example] = []
    placed: dict[str, tuple[int, int]] = {}  # span id -> (run, entity index)
    for k, run in enumerate(runs):
        t0 = doc.sentences[run[0]][1]
        t1 = doc.sentences[run[-1]][2]
        text = doc.text[t0:t1]
        spans: list[tuple[int, int, str, str, str]] = []
        for sid_span, (typ, sid, b, e) in doc.spans.items():
            if sid not in run or typ not in ("MATERIAL", "VALUE"):
                continue
            start = doc.sentences[sid][1] - t0 + b
            end = doc.sentences[sid][1] - t0 + e
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start >= end:
                stats["empty_span"] += 1
                continue
            if typ == "MATERIAL":
                label, source = "COMPOUND", "MATERIAL"
            elif sid_span in conditions:
                label, source = "CONDITION", "VALUE:working_temperature"
            elif sid_span in role:
                label, source = "VALUE", "VALUE:" + role[sid_span]
            else:
                stats["value_without_role_left_out"] += 1
                continue
            spans.append((start, end, label, source, sid_span))
        spans.sort(key=lambda x: (x[0], x[1]))
        # overlapping spans (rare): keep the first, count the rest
        kept: list[tuple[int, int, str, str, str]] = []
        for sp in spans:
            if kept and sp[0] < kept[-1][1]:
                stats["overlapping_span"] += 1
                continue
            kept.append(sp)
        for i, sp in enumerate(kept):
            placed[sp[4]] = (k, i)
        entities = [EntitySpan(s, e, lab, src) for s, e, lab, src, _ in kept]
        tokens = tokenize_with_spans(text, [(e.start, e.end) for e in entities])
        examples.append(Example(id=f"sofc_exp/{split}/{name}/{run[0]}", corpus="sofc_exp", split=split, text=text,
                                tokens=tokens, entities=entities))
    for head, value, kind in sorted(links):
        h, v = placed.get(head), placed.get(value)
        if h is None or v is None:
            stats[f"link_dropped_unplaced:{kind}"] += 1
        elif h[0] != v[0]:
            stats[f"link_dropped_across_examples:{kind}"] += 1
        else:
            examples[h[0]].links.append(RelationLink(h[1], v[1], kind))
            stats[f"link_kept:{kind}"] += 1
    for ex in examples:
        ex.links.sort(key=lambda lk: (lk.tail, lk.head, lk.type))
    return examples
