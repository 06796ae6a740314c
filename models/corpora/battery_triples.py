"""Battery material-property-value triples (MatSci-NLP ``structured_re``; SILVER) -> Examples.

Source: ``structured_re.json``, JSON lines of one pre-tokenised sentence (tokens joined by
single spaces) with ``relationMentions``: material (``arg1``), property words (``rel``,
with a normalised ``relText`` such as "Coulombic Efficiency") and value with unit (``arg2``),
each a token range with an inclusive end. The triples were produced by a rule-based
extractor (the Huang & Cole battery database) and are incomplete: a "respectively" list
often has only one of its values annotated, and some triples are wrong.

Treatment of that silver annotation:

- **Mentions are only the spans that occur in a triple** (material -> COMPOUND, property
  words -> PROPERTY, value -> VALUE). Other compounds and values of the sentence are not
  mentions at all, so a pair the extractor missed is never a candidate and never taught as a
  negative; the negatives are only pairs of mentions that both occur in triples but are not
  linked (another triple's material with this value).
- **Links and tuples are the triples**: material -> value ``compound_of``, property words ->
  value ``property_of``, and the tuple (material, property, value).
- A span used in two roles (rare) keeps its first role; the triple using it in the other role
  is dropped and counted. Rows with no triple are skipped; rows repeating an earlier row's
  document and sentence are merged into it.
- **Splits**: none ship with the data; by document (``docId``) with
  :func:`~lit.models.corpora.splits.hash_split`, 10 % validation, 10 % test.

Because the triples are incomplete, scores on this corpus measure recall well and precision
only against other annotated mentions (see the notes in the model cards).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from lit.models.corpus import EntitySpan, Example, RelationLink

from .spec import CorpusSpec, check_split, require_file
from .splits import hash_split

FOLDER = "battery_triples"
FILE = "structured_re.json"
VALIDATION_PERCENT = 10
TEST_PERCENT = 10

SPEC = CorpusSpec(
    name="battery_triples",
    folder=FOLDER,
    source_repo="https://github.com/BangLab-UdeM-Mila/NLP4MatSci-ACL23",
    commit="f9042f5c90394861d05e767143bcfbdbd71ba4ab",
    licence="no licence file upstream: training and development only, never republish",
    label_map={"arg1": "COMPOUND", "rel": "PROPERTY", "arg2": "VALUE"},
    dropped={"other words": "only spans that occur in a triple are mentions (silver: absent pairs are unknown)"},
    splits={
        "train": f"hash(docId) >= {VALIDATION_PERCENT + TEST_PERCENT}",
        "validation": f"hash(docId) < {VALIDATION_PERCENT}",
        "test": f"{VALIDATION_PERCENT} <= hash(docId) < {VALIDATION_PERCENT + TEST_PERCENT}",
    },
    converter="lit.models.corpora.battery_triples",
    relation_map={"arg1 -> arg2": "compound_of", "rel -> arg2": "property_of", "(arg1, rel, arg2)": "tuple"},
    notes="SILVER (rule-extracted); one Example per distinct sentence; mentions restricted to triple spans",
)

_ROLES = (("arg1", "COMPOUND"), ("rel", "PROPERTY"), ("arg2", "VALUE"))


def source_files(root: Path) -> list[Path]:
    return [root / FOLDER / FILE]


def read_rows(root: Path) -> list[dict]:
    with open(require_file(root / FOLDER / FILE), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load(root: Path, split: str) -> list[Example]:
    """Sentences of ``split`` (ids ``battery_triples/<split>/<docId>/<first row id>``)."""
    return convert_all(root, check_split(split), Counter())


def triple_stats(root: Path, split: str) -> Counter[str]:
    stats: Counter[str] = Counter()
    convert_all(root, check_split(split), stats)
    return stats


def convert_all(root: Path, split: str, stats: Counter[str]) -> list[Example]:
    merged: dict[tuple[str, str], list[dict]] = {}
    for row in read_rows(root):
        if hash_split(str(row["docId"]), VALIDATION_PERCENT, TEST_PERCENT) != split:
            continue
        stats["rows"] += 1
        if not row.get("relationMentions"):
            stats["rows_without_triples"] += 1
            continue
        key = (str(row["docId"]), row["sentText"])
        if key in merged:
            stats["rows_merged"] += 1
        merged.setdefault(key, []).append(row)
    return [convert(split, rows, stats) for rows in merged.values()]


def convert(split: str, rows: list[dict], stats: Counter[str]) -> Example:
    """One sentence (all rows with its text) as an Example."""
    text = rows[0]["sentText"]
    tokens: list[tuple[int, int]] = []
    pos = 0
    for tok in text.split(" "):
        if tok:
            tokens.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    role_of: dict[tuple[int, int], str] = {}
    triples: list[tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = []
    seen: set[tuple] = set()
    for row in rows:
        for m in row["relationMentions"]:
            spans = []
            for prefix, label in _ROLES:
                a, b = int(m[f"{prefix}StartIndex"]), int(m[f"{prefix}EndIndex"])
                if not 0 <= a <= b < len(tokens):
                    spans = None
                    break
                spans.append(((tokens[a][0], tokens[b][1]), label))
            if spans is None:
                stats["triple_bad_index"] += 1
                continue
            if any(role_of.get(sp, lab) != lab for sp, lab in spans):
                stats["triple_role_clash"] += 1
                continue
            key = tuple(sp for sp, _ in spans)
            if key in seen:
                stats["triple_duplicate"] += 1
                continue
            seen.add(key)
            for sp, lab in spans:
                role_of[sp] = lab
            triples.append(key)  # type: ignore[arg-type]
    order = sorted(role_of, key=lambda sp: (sp[0], sp[1]))
    # overlapping spans of different triples (rare): the pair models need disjoint mentions
    drop: set[tuple[int, int]] = set()
    last_end = -1
    for sp in order:
        if sp[0] < last_end:
            drop.add(sp)
        else:
            last_end = sp[1]
    if drop:
        stats["span_overlapping"] += len(drop)
    keep = [sp for sp in order if sp not in drop]
    index = {sp: i for i, sp in enumerate(keep)}
    entities = [EntitySpan(s, e, role_of[(s, e)], {"COMPOUND": "arg1", "PROPERTY": "rel", "VALUE": "arg2"}[role_of[(s, e)]])
                for s, e in keep]
    links: set[tuple[int, int, str]] = set()
    tuples: list[tuple[int | None, ...]] = []
    for c, p, v in triples:
        if c in drop or p in drop or v in drop:
            stats["triple_dropped_overlap"] += 1
            continue
        links.add((index[c], index[v], "compound_of"))
        links.add((index[p], index[v], "property_of"))
        tuples.append((index[c], index[p], index[v], None))
        stats["triples_kept"] += 1
    stats["examples"] += 1
    first = rows[0]
    return Example(
        id=f"battery_triples/{split}/{first['docId']}/{first['id']}",
        corpus="battery_triples",
        split=split,
        text=text,
        tokens=tokens,
        entities=entities,
        links=[RelationLink(h, t, k) for h, t, k in sorted(links, key=lambda x: (x[1], x[0], x[2]))],
        tuples=tuples,
    )
