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
