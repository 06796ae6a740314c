"""The committed relation model, loaded offline through RelationModel (models/re/infer.py)."""

import json

import pytest

from lit.errors import ModelError
from lit.extract.facts import Mention
from lit.models.bundle import default_artifact
from lit.models.re.infer import RelationModel

RESPECTIVELY = "FAPbI3 and CsPbI3 show band gaps of 1.48 and 1.73 eV, respectively."
SIMPLE = "The band gap of GaN is 3.4 eV."


def _mentions(text: str, spans: list[tuple[str, str]]) -> list[Mention]:
    out, pos = [], 0
    for s, label in spans:
        start = text.index(s, pos)
        out.append(Mention(start, start + len(s), label, s))
        pos = start + len(s)
    return out


@pytest.fixture(scope="module")
def model() -> RelationModel:
    import os

    os.environ["HF_HUB_OFFLINE"] = "1"
    return RelationModel.load(None, device="cpu")  # None: the default bundle's relation model


def _triples(relations) -> set[tuple[str, str | None, str]]:
    return {(r.compound.text, r.property.text if r.property else None, r.value.text) for r in relations}


def test_re_infer_default_model_is_committed_small_and_carded():
    path = default_artifact("re")
    assert path.name.startswith("re-")
    weights = path / "model.safetensors"
    assert weights.is_file() and weights.stat().st_size <= 16 * 1024 * 1024
    card = (path / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\nlicense: apache-2.0") and "datasets:" in card and "metrics:" in card
    assert "Reliability on" in card and "rule-based linker" in card
    cfg = json.loads((path / "config.json").read_text())
    assert cfg["model_type"] == "lit-re" and 0 < cfg["decoding"]["t_compound"] < 1


def test_re_infer_links_a_simple_sentence(model):
    text = SIMPLE
    ms = _mentions(text, [("band gap", "PROPERTY"), ("GaN", "COMPOUND"), ("3.4 eV", "VALUE")])
    rels = model.predict(text, ms, [(0, len(text))])
    assert _triples(rels) == {("GaN", "band gap", "3.4 eV")}
    assert all(0.0 < r.score <= 1.0 and r.value_index is None for r in rels)


def test_re_infer_links_a_respectively_list(model):
    text = RESPECTIVELY
    ms = _mentions(text, [("FAPbI3", "COMPOUND"), ("CsPbI3", "COMPOUND"), ("band gaps", "PROPERTY"),
                          ("1.48", "VALUE"), ("1.73 eV", "VALUE")])
    rels = model.predict(text, ms, [(0, len(text))])
    assert _triples(rels) == EXPECTED_RESPECTIVELY


def test_re_infer_two_paragraphs_at_once_match_one_by_one(model):
    a = _mentions(SIMPLE, [("band gap", "PROPERTY"), ("GaN", "COMPOUND"), ("3.4 eV", "VALUE")])
    b = _mentions(RESPECTIVELY, [("FAPbI3", "COMPOUND"), ("CsPbI3", "COMPOUND"), ("band gaps", "PROPERTY"),
                                 ("1.48", "VALUE"), ("1.73 eV", "VALUE")])
    together = model.predict_many([(SIMPLE, a, [(0, len(SIMPLE))]), (RESPECTIVELY, b, [(0, len(RESPECTIVELY))])])
    alone = [model.predict(SIMPLE, a, [(0, len(SIMPLE))]), model.predict(RESPECTIVELY, b, [(0, len(RESPECTIVELY))])]
    assert [_triples(x) for x in together] == [_triples(x) for x in alone]
    for x, y in zip(together, alone):
        assert sorted(r.score for r in x) == pytest.approx(sorted(r.score for r in y), abs=1e-3)


def test_re_infer_nothing_to_link(model):
    text = "GaN is a semiconductor."
    assert model.predict(text, _mentions(text, [("GaN", "COMPOUND")]), [(0, len(text))]) == []
    assert model.predict("", [], []) == []


def test_re_infer_missing_or_foreign_folder_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="config.json"):
        RelationModel.load(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "lit-ner"}))
    with pytest.raises(ModelError, match="lit-re"):
        RelationModel.load(tmp_path)


def test_re_infer_cli_evaluate_json(model):
    from typer.testing import CliRunner

    from lit.cli.main import app

    res = CliRunner().invoke(app, ["evaluate", "re", "--corpus", "polyie", "--split", "validation", "--limit", "2",
                                   "--json", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["examples"] == 2 and out["model"] == str(model.path)
    for key in ("model_scores", "rule_scores"):
        s = out[key]
        assert set(s["pairs"]) == {"compound_of", "property_of", "condition_of", "micro"}
        assert 0.0 <= s["tuples"]["f1"] <= 1.0 and s["tuples"]["support"] >= 0


EXPECTED_RESPECTIVELY = {("FAPbI3", "band gaps", "1.48"), ("CsPbI3", "band gaps", "1.73 eV")}


def test_re_infer_probabilities_do_not_depend_on_batch_partners(model):
    """A paragraph's relations are the same alone and beside other paragraphs (short, long,
    several windows, in any order), and its candidate probabilities agree within one step
    of their rounding to 4 decimals (float noise with batch shape on some CPUs can tip a
    rounding): what lets the pipeline score the paragraphs of many documents in one call
    and still give each document its facts."""
    simple = (SIMPLE, _mentions(SIMPLE, [("band gap", "PROPERTY"), ("GaN", "COMPOUND"), ("3.4 eV", "VALUE")]),
              [(0, len(SIMPLE))])
    listed = (RESPECTIVELY, _mentions(RESPECTIVELY, [("FAPbI3", "COMPOUND"), ("CsPbI3", "COMPOUND"),
                                                     ("band gaps", "PROPERTY"), ("1.48", "VALUE"), ("1.73 eV", "VALUE")]),
              [(0, len(RESPECTIVELY))])
    sentence = "The band gap of ZnO films annealed in air at 450 C is 3.3 eV. "
    long_text = sentence * 30  # well over one 256-subword window
    pos, mentions = 0, []
    for _ in range(30):
        for s, label in (("band gap", "PROPERTY"), ("ZnO", "COMPOUND"), ("3.3 eV", "VALUE")):
            start = long_text.index(s, pos)
            mentions.append(Mention(start, start + len(s), label, s))
            pos = start + len(s)
    long = (long_text, mentions, [(i * len(sentence), (i + 1) * len(sentence) - 1) for i in range(30)])
    assert len(model.net.tokenizer(long_text)["input_ids"]) > model.config.max_len  # several windows
    blocks = [simple, listed, long]
    alone = [model.probabilities([model.instance(*b)])[0] for b in blocks]
    assert all(alone) and len(alone[2]) >= 30

    def close(got: list[list[float]], want: list[list[float]]) -> bool:
        return [len(g) for g in got] == [len(w) for w in want] and all(
            abs(x - y) <= 1e-4 + 1e-9 for g, w in zip(got, want) for x, y in zip(g, w))

    assert close(model.probabilities([model.instance(*b) for b in blocks]), alone)
    assert close(model.probabilities([model.instance(*b) for b in (long, simple, simple, listed)]),
                 [alone[2], alone[0], alone[0], alone[1]])

    def decided(relations) -> list[tuple]:
        return [(r.compound.start, r.property.start if r.property else None, r.value.start,
                 tuple(c.start for c in r.conditions), r.value_index) for r in relations]

    one_by_one = [model.predict_many([b])[0] for b in blocks]
    assert _triples(one_by_one[1]) >= EXPECTED_RESPECTIVELY
    for order in ([0, 1, 2], [2, 0, 0, 1]):
        together = model.predict_many([blocks[i] for i in order])
        want = [one_by_one[i] for i in order]
        assert [decided(r) for r in together] == [decided(r) for r in want]
        assert all(abs(a.score - b.score) <= 1e-4 + 1e-9 for x, y in zip(together, want) for a, b in zip(x, y))


def test_re_infer_encoder_at_positions_is_the_full_encoders_rows(model):
    """The encoder runs its last layer only for the subwords mentions cover; those rows are
    the full encoder's to float precision (bitwise on some CPUs; on AVX-512 the pruned
    layer's other matrix shapes round differently), in a batch with a padded row."""
    import torch

    ids = torch.randint(1000, 20000, (3, 40), generator=torch.Generator().manual_seed(2))
    mask = torch.ones_like(ids)
    mask[2, 25:] = 0
    feats = torch.zeros((3, 40, 3), dtype=torch.long)
    positions = torch.tensor([[1, 2, 3, 30, 31, 0, 0, 0], [5, 6, 7, 8, 9, 10, 11, 39], [4, 20, 21, 24, 0, 0, 0, 0]])
    with torch.inference_mode():
        full = model.encode(ids, mask, feats)
        at = model.encode(ids, mask, feats, positions)
    assert at.shape == (3, 8, full.shape[-1])
    torch.testing.assert_close(at, full.gather(1, positions.unsqueeze(-1).expand(-1, -1, full.shape[-1])),
                               atol=1e-5, rtol=0)
