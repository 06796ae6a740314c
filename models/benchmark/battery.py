"""``battery``: silver (material, property, value) triples from battery papers; recall only.

The triples (MatSci-NLP ``structured_re``) were made by a rule-based database builder, so they
miss many facts their sentences state: precision against them would punish lit for being
right, so only recall is reported. Each sentence is its own document.

Properties (:data:`PROPERTIES`): Capacity -> specific_capacity, Coulombic Efficiency ->
coulombic_efficiency, Energy -> energy_density, Conductivity -> ionic_conductivity. Voltage,
two thirds of the triples, has no property in lit's vocabulary (open_circuit_voltage and the
redox potentials are not a cell's charge, discharge or cut-off voltage) and is counted
(``triple_not_in_vocabulary``), as are sentences with no triple left.

Size: the sentences with a triple in scope go to dev or test by the SHA-256 bucket of their
paper (``docId``), and each split keeps at most :data:`CAP` of them, the first by the SHA-256
of the sentence id: a fixed sample, so every run scores the same sentences.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from lit.errors import CorpusError
from lit.extract.document import paragraph_document
from lit.extract.normalize.properties import PropertyVocabulary
from lit.models.corpora.spec import corpora_root, require_file
from lit.models.corpora.splits import hash_bucket

from .gold import SPLITS, BenchSet, BenchText, GoldFact, distinct, listed_numbers

NAME = "battery"
FILE = "battery_triples/structured_re.json"
PROPERTIES: dict[str, str] = {
    "Capacity": "specific_capacity",
    "Coulombic Efficiency": "coulombic_efficiency",
    "Energy": "energy_density",
    "Conductivity": "ionic_conductivity",
}
#: The corpus's normalised units (``arg2OriginalText``) in lit's notation. The value as written
#: (``arg2Text``) lost its exponents in tokenisation ("160 mA h g"), the normalised one did not.
UNITS: dict[str, str] = {
    "Gram^(-1.0)  Hour^(1.0)  MilliAmpere^(1.0)": "mAh g-1",
    "Percent^(1.0)": "%",
    "KiloGram^(-1.0)  WattHour^(1.0)": "Wh kg-1",
    "CentiMeter^(-1.0)  Siemens^(1.0)": "S cm-1",
}
#: Sentences per split: enough for recall per property to move by a point per ~10 facts,
#: small enough for a CPU run of under two minutes.
CAP = 500


def split_of(doc_id: int) -> str:
    return "dev" if hash_bucket(f"{NAME}/{doc_id}") < 50 else "test"


def load(split: str, corpora: Path | None = None, vocab: PropertyVocabulary | None = None) -> BenchSet:
    """The sampled sentences of ``split`` with their in-scope triples as gold."""
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}: use {' or '.join(SPLITS)}")
    vocab = vocab or PropertyVocabulary.load()
    path = require_file(corpora_root(corpora) / FILE)
    counts: dict[str, int] = {"sentences_in_scope": 0}
    chosen: list[tuple[str, BenchText]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if split_of(row["docId"]) != split:
                continue
            facts: list[GoldFact] = []
            for rel in row["relationMentions"]:
                prop = PROPERTIES.get(rel["relText"])
                if prop is None:
                    counts["triple_not_in_vocabulary"] = counts.get("triple_not_in_vocabulary", 0) + 1
                    continue
                number, _, unit = rel["arg2OriginalText"].partition(" ")
                numbers = listed_numbers(vocab, prop, [float(number)], UNITS[unit]) if unit in UNITS else "unit not known"
                if isinstance(numbers, str):
                    counts[f"gold_dropped:{numbers}"] = counts.get(f"gold_dropped:{numbers}", 0) + 1
                    continue
                facts.append(GoldFact(rel["arg1Text"].strip(), prop, numbers, (), row["sentText"]))
            if not facts:
                continue
            counts["sentences_in_scope"] += 1
            text_id = f"{row['docId']}/{row['id']}"
            doc = paragraph_document(row["sentText"], f"{NAME}/{text_id}")
            chosen.append((hashlib.sha256(text_id.encode()).hexdigest(), BenchText(text_id, split, doc, distinct(facts, {}))))
    texts = [t for _, t in sorted(chosen, key=lambda c: c[0])[:CAP]]
    counts["sentences_sampled"] = len(texts)
    return BenchSet(NAME, split, texts, frozenset(PROPERTIES.values()), recall_only=True,
                    counts=dict(sorted(counts.items())), note=f"silver triples, recall only, {CAP} sentences at most")
