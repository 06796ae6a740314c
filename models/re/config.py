"""Configuration of a relation-extraction (RE) training run and of the model it produces.

As for NER, one dataclass holds both the training recipe and the model's shape (candidate
caps, adapter rank, head size), because the shape must travel with the weights: an
artifact's ``config.json`` is this dataclass plus the decoding thresholds and calibration
fitted on validation (see :mod:`.decode`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from lit.errors import ModelError
from lit.models.ner.config import DEFAULT_BASE

#: Link types, all pointing at a VALUE, and the mention label each one's head carries.
LINK_TYPES: tuple[str, ...] = ("compound_of", "property_of", "condition_of")
HEAD_LABEL: dict[str, str] = {"compound_of": "COMPOUND", "property_of": "PROPERTY", "condition_of": "CONDITION"}


@dataclass(slots=True)
class ReConfig:
    """Everything needed to train the relation model and rebuild it from its weights."""

    version: str = "dev"
    base: str = DEFAULT_BASE
    #: Training corpora (their ``train`` split); selection uses ``select_corpus``'s validation split.
    corpora: list[str] = field(default_factory=lambda: ["polyie", "mspt"])
    #: Cap on training paragraphs per corpus (after a seeded shuffle), to fit a CPU budget.
    corpus_limits: dict[str, int] = field(default_factory=dict)
    select_corpus: str = "polyie"
    # Candidates: a head (compound/property/condition) pairs with a value when it lies in the
    # same sentence or at most ``max_sent_distance`` sentences away, and at most
    # ``max_word_distance`` words away. Caps keep the pair count linear in paragraph length.
    max_sent_distance: int = 1
    max_word_distance: int = 60
    # Windows: a paragraph is encoded once, in windows of max_len subwords (specials
    # included); inference windows overlap by max_len - 2 - stride.
    max_len: int = 256
    stride: int = 192
    # Encoder: casing features and LoRA adapters on layers >= adapt_from_layer (the frozen
    # layers below run once per training window and are cached).
    case_features: bool = True
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.05
    lora_targets: list[str] = field(
        default_factory=lambda: ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"]
    )
    adapt_from_layer: int = 3
    #: Start from a trained RE artifact's weights (adapters, casing, scorer) instead of fresh
    #: ones; it must have been built alike (same rank, adapted layers, head sizes).
    init_from: str | None = None
    #: With ``init_from``: the casing embedding and the adapters of layers below this keep
    #: the artifact's values, so those layers are computed once per window and cached like
    #: the frozen base below ``adapt_from_layer``; only the layers from here on train
    #: (0: every adapted layer trains).
    freeze_below: int = 0
    # Pair scorer.
    mlp_hidden: int = 256
    feature_dim: int = 32
    dropout: float = 0.1
    # Optimisation.
    lr: float = 5e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    epochs: int = 8
    batch_tokens: int = 4096
    #: Weight of positive pairs in the loss (candidates are mostly negatives).
    pos_weight: float = 2.0
    max_minutes: float | None = None
    eval_every_minutes: float | None = None
    threads: int | None = None
    seed: int = 13

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict>") -> "ReConfig":
        known = {f.name for f in fields(cls)}
        ignored = {"model_type", "base_hidden_size", "created", "git_revision", "decoding", "train"}
        unknown = set(data) - known - ignored
        if unknown:
            raise ModelError(f"{source}: unknown RE config keys {sorted(unknown)}; known: {sorted(known)}")
        cfg = cls(**{k: v for k, v in data.items() if k in known})
        if not 0 < cfg.adapt_from_layer:
            raise ModelError(f"{source}: adapt_from_layer must be >= 1 (the casing joins at that layer's input)")
        if cfg.freeze_below and not cfg.init_from:
            raise ModelError(f"{source}: freeze_below {cfg.freeze_below} needs init_from (frozen at what values?)")
        if cfg.freeze_below and cfg.freeze_below <= cfg.adapt_from_layer:
            raise ModelError(f"{source}: freeze_below must be above adapt_from_layer ({cfg.adapt_from_layer}) or 0")
        if cfg.stride <= 0 or cfg.stride > cfg.max_len - 2:
            raise ModelError(f"{source}: stride {cfg.stride} must be in 1..max_len-2 ({cfg.max_len - 2})")
        return cfg


def load_config(path: str | Path) -> ReConfig:
    """Read a JSON training config; a missing or malformed file is a ModelError naming it."""
    p = Path(path)
    if not p.is_file():
        raise ModelError(f"{p}: RE config file not found; pass an existing .json file (see models/configs/re*.json)")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError(f"{p}: cannot parse RE config: {exc}") from exc
    return ReConfig.from_dict(data, source=str(p))
