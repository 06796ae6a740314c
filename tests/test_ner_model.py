"""Model build, save_pretrained/from_pretrained, sharding and load errors (models/ner/model.py)."""

import json

import pytest
import torch

from lit.errors import ModelError
from lit.models.ner import model as model_mod
from lit.models.ner.config import NerConfig
from lit.models.ner.model import NerModel, build_model, init_from


@pytest.fixture(scope="module")
def tiny() -> NerModel:
    cfg = NerConfig(version="tiny", lora_r=2, adapt_from_layer=3)
    m = build_model(cfg, seed=3)
    with torch.no_grad():  # make adapters and casing non-trivial so round trips are tested
        for n, p in m.named_parameters():
            if p.requires_grad:
                p.add_(torch.randn_like(p) * 0.05)
    return m.eval()


def _inputs(m: NerModel):
    ids = torch.tensor([[m.tokenizer.cls_token_id, 2522, 2003, 1037, m.tokenizer.sep_token_id]])
    feats = torch.tensor([[[0, 0, 0], [2, 2, 1], [1, 1, 0], [3, 3, 0], [0, 0, 0]]])
    return ids, torch.ones_like(ids), feats


def test_ner_model_only_small_parts_train(tiny):
    trainable = {n for n, p in tiny.named_parameters() if p.requires_grad}
    assert any("lora_" in n for n in trainable)
    assert any(n.startswith("case.") for n in trainable) and any(n.startswith("classifier") for n in trainable)
    assert not any("layer.0." in n or "layer.2." in n for n in trainable)  # below adapt_from_layer
    assert not any("word_embeddings" in n for n in trainable)


def test_ner_model_case_features_change_logits(tiny):
    ids, mask, feats = _inputs(tiny)
    with torch.no_grad():
        a = tiny(ids, mask, feats)
        b = tiny(ids, mask, torch.zeros_like(feats))
    assert a.shape == (1, 5, len(tiny.config.tags))
    assert not torch.allclose(a, b)


def test_ner_model_round_trip_and_merge(tiny, tmp_path):
    files = tiny.save_pretrained(tmp_path)
    assert [f.name for f in files] == ["model.safetensors"]
    cfg = json.loads((tmp_path / "config.json").read_text())
    assert cfg["id2label"]["0"] == "O" and cfg["model_type"] == "lit-ner"
    ids, mask, feats = _inputs(tiny)
    with torch.no_grad():
        ref = tiny(ids, mask, feats)
        unmerged = NerModel.from_pretrained(tmp_path, merge=False)(ids, mask, feats)
        merged = NerModel.from_pretrained(tmp_path, merge=True)(ids, mask, feats)
    assert torch.allclose(ref, unmerged, atol=1e-5)
    assert torch.allclose(ref, merged, atol=1e-4)


def test_ner_model_shards_stay_under_limit(tiny, tmp_path, monkeypatch):
    monkeypatch.setattr(model_mod, "MAX_SHARD_BYTES", 200 * 1024)
    files = tiny.save_pretrained(tmp_path)
    assert len(files) > 1
    assert all(f.stat().st_size <= 200 * 1024 for f in files)
    assert (tmp_path / "model.safetensors.index.json").is_file()
    ids, mask, feats = _inputs(tiny)
    with torch.no_grad():
        assert torch.allclose(tiny(ids, mask, feats), NerModel.from_pretrained(tmp_path, merge=False)(ids, mask, feats), atol=1e-5)


def test_ner_model_missing_files_raise_model_error(tiny, tmp_path):
    with pytest.raises(ModelError, match="config.json"):
        NerModel.from_pretrained(tmp_path)
    tiny.save_pretrained(tmp_path)
    (tmp_path / "model.safetensors").unlink()
    with pytest.raises(ModelError, match="model.safetensors.*missing"):
        NerModel.from_pretrained(tmp_path)


def test_ner_model_weights_from_other_config_refused(tiny, tmp_path):
    tiny.save_pretrained(tmp_path)
    cfg = json.loads((tmp_path / "config.json").read_text())
    cfg["lora_r"] = 4
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="do not match"):
        NerModel.from_pretrained(tmp_path)


def test_ner_model_head_per_corpus_selects_rows_and_round_trips(tmp_path):
    from lit.models.ner.config import CorpusSpec
    from lit.models.ner.infer import NerTagger

    cfg = NerConfig(version="heads", lora_r=2, adapt_from_layer=3, head_per_corpus=True,
                    corpora=[CorpusSpec("polyie"), CorpusSpec("bc5cdr")])
    m = build_model(cfg, seed=3).eval()
    with torch.no_grad():
        m.classifier.weight.add_(torch.randn_like(m.classifier.weight))
    assert m.classifier.out_features == 2 * len(cfg.tags)
    ids, mask, feats = _inputs(m)
    ids, mask, feats = ids.repeat(2, 1), mask.repeat(2, 1), feats.repeat(2, 1, 1)
    with torch.no_grad():
        per_row = m(ids, mask, feats, torch.tensor([0, 1]))
        first = m(ids, mask, feats)
        m.head = 1
        second = m(ids, mask, feats)
        m.head = 0
    assert per_row.shape == (2, ids.shape[1], len(cfg.tags))
    assert torch.allclose(per_row[0], first[0]) and torch.allclose(per_row[1], second[1])
    assert not torch.allclose(first, second)

    m.save_pretrained(tmp_path / "heads")
    tagger = NerTagger.load(tmp_path / "heads", device="cpu")
    assert tagger.config.head_names == ["polyie", "bc5cdr"] and tagger.model.head == 0
    with tagger.head_for("bc5cdr"):
        assert tagger.model.head == 1
    with tagger.head_for("matscholar"):  # no head of its own: keeps the current one
        assert tagger.model.head == 0
    assert tagger.model.head == 0


def test_ner_model_shallow_model_starts_from_an_artifact_and_trains_only_its_top(tiny, tmp_path):
    """``layers``/``init_from``/``freeze_below``: a five-layer model from a six-layer artifact
    keeps the artifact's weights, trains only its new last layer's adapters and the heads,
    and saves the frozen adapters too (an artifact must rebuild the whole model)."""
    tiny.save_pretrained(tmp_path / "teacher")  # adapters on layers 3, 4, 5
    cfg = NerConfig(version="student", lora_r=2, adapt_from_layer=3, layers=5, init_from=str(tmp_path / "teacher"),
                    freeze_below=4)
    m = build_model(cfg, seed=1)
    assert len(m.encoder.encoder.layer) == 5
    assert init_from(m, cfg.init_from) == len(m.artifact_names())
    teacher, start = tiny.trainable_state_dict(), m.trainable_state_dict()
    assert set(start) == {n for n in teacher if ".layer.5." not in n}
    assert all(torch.equal(start[n], teacher[n]) for n in start)
    top = lambda n: ".layer.4." in n or n.startswith("classifier")  # noqa: E731
    assert all(top(n) for n, p in m.named_parameters() if p.requires_grad)

    m.train()
    assert not m.encoder.encoder.layer[3].training and m.encoder.encoder.layer[4].training
    ids, mask, feats = _inputs(m)
    opt = torch.optim.SGD([p for p in m.parameters() if p.requires_grad], lr=0.5)
    m(ids, mask, feats).pow(2).mean().backward()
    opt.step()
    after = m.trainable_state_dict()
    changed = {n for n in after if not torch.equal(after[n], start[n])}
    assert changed and all(top(n) for n in changed)

    m.eval()
    m.save_pretrained(tmp_path / "student")
    back = NerModel.from_pretrained(tmp_path / "student", merge=False)
    assert len(back.encoder.encoder.layer) == 5
    with torch.no_grad():
        assert torch.allclose(back(ids, mask, feats), m(ids, mask, feats), atol=1e-5)


def test_ner_model_init_from_refuses_what_does_not_fit(tiny, tmp_path):
    tiny.save_pretrained(tmp_path / "teacher")
    with pytest.raises(ModelError, match="not a model folder"):
        init_from(build_model(NerConfig(lora_r=2, adapt_from_layer=3)), tmp_path)
    with pytest.raises(ModelError, match="lacks"):  # adapters on layers the artifact never had
        init_from(build_model(NerConfig(lora_r=2, adapt_from_layer=1)), tmp_path / "teacher")
    with pytest.raises(ModelError, match="teacher"):  # another rank: same names, other shapes
        init_from(build_model(NerConfig(lora_r=4, adapt_from_layer=3)), tmp_path / "teacher")


@pytest.mark.parametrize("case_at", [0, 3, 5])
def test_ner_model_positions_give_the_full_forwards_logits_there(case_at):
    """``positions`` runs the last layer for those subwords only; their logits are the full
    forward's, with padded rows, unmerged or merged adapters, and the casing added at the
    first, a middle or the last layer's input (which the pruned path adds itself). Equal to
    float precision, not bitwise: the pruned layer multiplies matrices of another shape,
    which some CPUs (AVX-512) round differently; the tags (argmax) are the same."""
    m = build_model(NerConfig(version="t", lora_r=2, adapt_from_layer=case_at), seed=5)
    with torch.no_grad():
        for p in m.parameters():
            if p.requires_grad:
                p.add_(torch.randn_like(p) * 0.05)
    m.eval()
    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(1000, 20000, (3, 24), generator=gen)
    mask = torch.ones_like(ids)
    mask[1, 15:] = 0
    feats = torch.randint(0, 3, (3, 24, 3), generator=gen)
    positions = torch.tensor([[1, 2, 5, 9, 0, 0, 0, 0], [3, 4, 6, 7, 8, 10, 12, 14], [2, 3, 17, 18, 20, 21, 22, 23]])
    with torch.inference_mode():
        for merged in (False, True):
            if merged:
                m.merge_adapters()
            full = m(ids, mask, feats)
            picked = full.gather(1, positions.unsqueeze(-1).expand(-1, -1, full.shape[-1]))
            pruned = m(ids, mask, feats, positions=positions)
            assert pruned.shape == (3, 8, full.shape[-1])
            torch.testing.assert_close(pruned, picked, atol=1e-5, rtol=0)
            assert torch.equal(pruned.argmax(-1), picked.argmax(-1))
    assert len(m.encoder.encoder.layer) == 6  # the last layer is back after each call


def test_ner_model_forward_is_the_encoders_own_forward():
    """``forward`` runs the layers itself (nothing patched per call, so threads can share the
    model); it must compute what transformers' own encoder forward computes, bitwise."""
    m = build_model(NerConfig(version="t", lora_r=2), seed=9).eval()
    with torch.no_grad():
        for p in m.case.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    ids = torch.randint(1000, 20000, (2, 12), generator=torch.Generator().manual_seed(1))
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0
    feats = torch.randint(0, 3, (2, 12, 3), generator=torch.Generator().manual_seed(2))
    with torch.inference_mode():
        emb = m.encoder.get_input_embeddings()(ids) + sum(m.case[i](feats[..., i]) for i in range(3))
        hidden = m.encoder(inputs_embeds=emb, attention_mask=mask).last_hidden_state
        assert torch.equal(m(ids, mask, feats), m.classifier(hidden)[..., : len(m.config.tags)])
