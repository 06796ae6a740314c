"""Training: loss goes down, partial-annotation loss, batching (models/ner/train.py)."""

import pytest
import torch

from lit.models.ner.config import NerConfig
from lit.models.ner.train import initial_loss_check, make_batches, partial_loss, uncovered_tags, weights_of_tags
from lit.models.ner.windows import IGNORE, Window


def test_ner_train_few_steps_lower_the_loss(corpora_dir):
    from lit.models.corpora import load_examples

    examples = load_examples("polyie", "train", root=corpora_dir)[:2]
    cfg = NerConfig(lora_r=4, adapt_from_layer=4, max_len=64, lr=5e-3, seed=1)
    before, after = initial_loss_check(cfg, examples, steps=6)
    assert after < before * 0.8


def test_ner_train_is_deterministic_on_cpu(corpora_dir):
    from lit.models.corpora import load_examples

    examples = load_examples("polyie", "train", root=corpora_dir)[:1]
    cfg = NerConfig(lora_r=2, adapt_from_layer=5, max_len=32, seed=7)
    assert initial_loss_check(cfg, examples, steps=2) == initial_loss_check(cfg, examples, steps=2)


def test_ner_train_partial_loss_allows_unannotated_labels():
    cfg = NerConfig()
    tags = cfg.tags
    value = tags.index("B-VALUE")
    extra = uncovered_tags(cfg, [set(cfg.labels), {"COMPOUND", "PROPERTY"}])
    assert not extra[0].any() and extra[1, value] and not extra[1, tags.index("B-COMPOUND")]
    logits = torch.full((2, 1, len(tags)), -5.0)
    logits[:, 0, value] = 5.0  # the model says "value" where the corpus says O
    labels = torch.zeros((2, 1), dtype=torch.long)
    full = partial_loss(logits[:1], labels[:1], torch.tensor([0]), extra)
    partial = partial_loss(logits[1:], labels[1:], torch.tensor([1]), extra)
    assert full > 5 and partial < 0.01
    # a labelled position is strict for every corpus
    labels2 = torch.full((1, 1), tags.index("B-COMPOUND"))
    assert partial_loss(logits[1:], labels2, torch.tensor([1]), extra) > 5
    # nothing labelled: zero loss that still backpropagates
    none = torch.full((1, 1), IGNORE)
    assert float(partial_loss(logits[1:], none, torch.tensor([1]), extra)) == 0.0


def test_ner_train_label_weights_make_a_weighted_mean():
    cfg = NerConfig(label_weights={"CONDITION": 3.0})
    tags = cfg.tags
    weights = weights_of_tags(cfg)
    assert weights[tags.index("B-CONDITION")] == weights[tags.index("I-CONDITION")] == 3.0
    assert weights[tags.index("O")] == weights[tags.index("B-VALUE")] == 1.0
    assert weights_of_tags(NerConfig()) is None
    logits = torch.randn((1, 2, len(tags)))
    labels = torch.tensor([[tags.index("B-CONDITION"), 0]])
    extra = uncovered_tags(cfg, [set(cfg.labels)])
    one = [partial_loss(logits[:, i : i + 1], labels[:, i : i + 1], torch.tensor([0]), extra) for i in range(2)]
    weighted = partial_loss(logits, labels, torch.tensor([0]), extra, tag_weights=weights)
    assert torch.isclose(weighted, (3 * one[0] + one[1]) / 4)
    assert torch.isclose(partial_loss(logits, labels, torch.tensor([0]), extra), (one[0] + one[1]) / 2)


def test_ner_train_batches_respect_token_budget():
    wins = [Window([1] * n, [(0, 0, 0)] * n, [0] * n) for n in (5, 50, 7, 30, 30, 12, 64)]
    batches = make_batches(wins, 64)
    assert sorted(i for b in batches for i in b) == list(range(len(wins)))
    for b in batches:
        assert max(len(wins[i].input_ids) for i in b) * len(b) <= 64 or len(b) == 1


@pytest.mark.slow
def test_ner_train_cli_smoke(tmp_path, corpora_dir):
    """`lit train ner --limit 2` end to end: artifact, card, metrics (minutes on a loaded CPU)."""
    import json

    from typer.testing import CliRunner

    from lit.cli.main import app

    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"version": "smoke", "epochs": 1, "adapt_from_layer": 5, "lora_r": 2, "max_len": 64, "stride": 32}))
    res = CliRunner().invoke(app, ["train", "ner", "--config", str(cfg), "--limit", "2", "--device", "cpu",
                                   "--out", str(tmp_path / "m"), "--silent"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m" / "README.md").read_text().startswith("---\nlicense: apache-2.0")
    assert "polyie" in json.loads((tmp_path / "m" / "metrics.json").read_text())["test"]
