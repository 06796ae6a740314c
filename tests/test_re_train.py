"""Training the relation model: a few CPU steps lower the loss; configs (models/re/train.py, config.py)."""

import json

import pytest

from lit.errors import ModelError
from lit.models.re.config import ReConfig, load_config


def test_re_train_few_steps_lower_the_loss(corpora_dir):
    from lit.models.corpora import load_examples
    from lit.models.re.data import from_example
    from lit.models.re.train import loss_check

    cfg = ReConfig(lora_r=4, adapt_from_layer=5, max_len=128, head_lr=3e-3, seed=1)
    examples = load_examples("polyie", "validation", root=corpora_dir)
    insts = [i for i in (from_example(e, cfg) for e in examples[:8]) if i.candidates][:1]
    assert sum(len(i.candidates) for i in insts) > 10 and any(sum(i.labels()) for i in insts)
    before, after = loss_check(cfg, insts, steps=4)
    assert after < before * 0.8


def test_re_train_pack_respects_the_token_budget():
    from lit.models.re.data import EncodedInstance
    from lit.models.re.train import pack

    enc = [EncodedInstance([[0] * n for _ in range(k)], [], []) for n, k in [(100, 1), (50, 2), (200, 1), (30, 3)]]
    batches = pack(enc, range(4), batch_tokens=250)
    assert sorted(i for b in batches for i in b) == [0, 1, 2, 3]
    for b in batches:
        if len(b) > 1:
            rows = sum(len(enc[i].windows) for i in b)
            longest = max(len(w) for i in b for w in enc[i].windows)
            assert rows * longest <= 250


def test_re_config_rejects_unknown_keys_and_bad_layers(tmp_path):
    p = tmp_path / "re.json"
    p.write_text(json.dumps({"version": "x", "lora_rank": 4}))
    with pytest.raises(ModelError, match="lora_rank"):
        load_config(p)
    p.write_text(json.dumps({"adapt_from_layer": 0}))
    with pytest.raises(ModelError, match="adapt_from_layer"):
        load_config(p)
    with pytest.raises(ModelError, match="not found"):
        load_config(tmp_path / "missing.json")
    from lit.models.re.model import build_net

    with pytest.raises(ModelError, match="none would be adapted"):
        build_net(ReConfig(version="x", adapt_from_layer=6))


def test_re_config_committed_files_load():
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[1] / "models" / "configs").glob("re*.json")):
        cfg = load_config(path)
        assert cfg.corpora and cfg.max_sent_distance >= 0


def test_re_config_freeze_below_needs_init_from_and_an_adapted_layer(tmp_path):
    p = tmp_path / "re.json"
    p.write_text(json.dumps({"adapt_from_layer": 1, "freeze_below": 3}))
    with pytest.raises(ModelError, match="needs init_from"):
        load_config(p)
    p.write_text(json.dumps({"adapt_from_layer": 3, "freeze_below": 3, "init_from": "x"}))
    with pytest.raises(ModelError, match="above adapt_from_layer"):
        load_config(p)


def test_re_init_from_and_frozen_bottom_compute_the_same_scores(tmp_path, corpora_dir):
    """An artifact's weights copied by init_from, and the split at freeze_below (frozen part
    cached, the rest on top) give the same pair logits as the whole network."""
    import torch

    from lit.models.corpora import load_examples
    from lit.models.re.data import collate, encode_instances, from_example
    from lit.models.re.model import build_net, init_from
    from lit.models.re.train import _frozen_names

    cfg = ReConfig(lora_r=4, adapt_from_layer=1, max_len=128, seed=3)
    src = build_net(cfg, seed=3)
    with torch.no_grad():  # adapters start as a no-op (B = 0): make them count
        for n, p in src.named_parameters():
            if p.requires_grad:
                p.add_(0.02 * torch.randn_like(p))
    src.save_pretrained(tmp_path / "src")
    frozen_cfg = ReConfig(lora_r=4, adapt_from_layer=1, max_len=128, seed=5, init_from=str(tmp_path / "src"),
                          freeze_below=3)
    net = build_net(frozen_cfg, seed=5)
    assert init_from(net, frozen_cfg.init_from) == len(src.trainable_state_dict())
    for n, p in net.trainable_state_dict().items():
        assert torch.equal(p, src.trainable_state_dict()[n])
    frozen = _frozen_names(net, 3)
    assert any(".case." in n for n in frozen) and any(".layer.2." in n for n in frozen)
    assert not any(".layer.3." in n or ".layer.4." in n or not n.startswith("body.") for n in frozen)

    exs = load_examples("polyie", "validation", root=corpora_dir)
    insts = [i for i in (from_example(e, cfg) for e in exs[:6]) if i.candidates][:2]
    enc = encode_instances(net.tokenizer, insts, 128, 126)
    b = collate(insts, enc, with_labels=False)
    net.eval()
    with torch.no_grad():
        whole = net(b)
        cut = net(b, bottom=net.frozen_bottom(b.input_ids, b.attention_mask, b.features, 3), start=3)
    assert torch.allclose(whole, cut, atol=1e-4)


def test_re_init_from_refuses_a_folder_without_weights(tmp_path):
    from lit.models.re.model import build_net, init_from

    with pytest.raises(ModelError, match="not an RE model folder"):
        init_from(build_net(ReConfig(lora_r=4, adapt_from_layer=5)), tmp_path)
