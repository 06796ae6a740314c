"""grobid-quantities converter against the raw TEI: counts, exact spans, split rule, manifest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from lit.models.corpora import SPLITS, load_examples, verify_manifest
from lit.models.corpus import Example

DATA = "grobid_quantities/resources/dataset/quantities"
QUANTITY = ("*[local-name()='measure'][*[local-name()='num'] or @type='value' or @type='interval' "
            "or @type='list']")
TOP = f"//{QUANTITY}[not(ancestor::{QUANTITY})]"


def _raw_quantities(path: Path) -> list[tuple[str, str]]:
    """(source label, whitespace-normalised text) of each outermost quantity, via XPath."""
    tree = etree.parse(str(path))
    out = []
    for el in tree.xpath(TOP):
        kind = el.get("type")
        out.append((f"measure:{kind}" if kind else "measure", " ".join(el.xpath("string(.)").split())))
    return out


@pytest.fixture(scope="module")
def loaded(corpora_dir: Path) -> dict[str, list[Example]]:
    return {s: load_examples("grobid_quantities", s, corpora_dir) for s in SPLITS}


def _by_doc(examples: list[Example]) -> dict[str, list[Example]]:
    docs: dict[str, list[Example]] = {}
    for ex in examples:
        docs.setdefault(ex.id.split("/")[2], []).append(ex)
    return docs


def test_grobid_quantities_split_rule(corpora_dir: Path, loaded) -> None:
    docs = {s: set(_by_doc(loaded[s])) for s in SPLITS}
    evaluation = {p.name.removesuffix(".xml") for p in (corpora_dir / DATA / "evaluation").glob("*.xml")}
    corpus = {p.name.removesuffix(".xml") for p in (corpora_dir / DATA / "corpus").glob("*.xml")}
    assert docs["test"] == evaluation
    assert docs["train"] | docs["validation"] == corpus
    assert not docs["train"] & docs["validation"] and docs["validation"]
    assert load_examples("grobid_quantities", "validation", corpora_dir)[0].id == loaded["validation"][0].id


@pytest.mark.parametrize("split", SPLITS)
def test_grobid_quantities_spans_match_raw_measures(corpora_dir: Path, loaded, split: str) -> None:
    for doc, examples in _by_doc(loaded[split]).items():
        folder = "evaluation" if split == "test" else "corpus"
        raw = _raw_quantities(corpora_dir / DATA / folder / f"{doc}.xml")
        got = [(e.source_label, ex.text[e.start:e.end]) for ex in examples for e in ex.entities]
        assert Counter(got) == Counter(raw), doc
        assert all(e.label == "VALUE" for ex in examples for e in ex.entities)


@pytest.mark.parametrize("split", SPLITS)
def test_grobid_quantities_tokens_align(loaded, split: str) -> None:
    for ex in loaded[split]:
        assert ex.text == " ".join(ex.text.split())
        assert all(a[1] <= b[0] for a, b in zip(ex.tokens, ex.tokens[1:]))
        assert "".join(ex.text[s:e] for s, e in ex.tokens) == ex.text.replace(" ", "")
        starts, ends = {s for s, _ in ex.tokens}, {e for _, e in ex.tokens}
        assert all(e.start in starts and e.end in ends for e in ex.entities)


def test_grobid_quantities_manifest_verifies(corpora_dir: Path, loaded) -> None:
    manifest = verify_manifest("grobid_quantities", corpora_dir)
    assert len(manifest["files"]) == 39
    for split in SPLITS:
        assert manifest["counts"][split]["entities"]["VALUE"] == sum(len(ex.entities) for ex in loaded[split])
