"""The NER network: base encoder + casing embedding + LoRA adapters + BIO head.

Why this shape:

- The base (all-MiniLM-L6-v2 by default) is uncased, so the casing the tokenizer threw away
  comes back as three small embeddings (see :mod:`.features`) added to the input
  embeddings. They start at zero, so an untrained model behaves exactly like the base.
- Only LoRA adapters, the casing embeddings and the head train; the base stays frozen and
  is loaded from its installed package, so an artifact is a few MiB of safetensors and
  never a copy of the base.
- A linear head over the unified labels (COMPOUND/PROPERTY/VALUE/CONDITION), either one
  shared by every corpus or one per training corpus (``head_per_corpus``); both are one
  ``Linear`` whose output is split into heads, so the two shapes share all code. Corpora
  annotate different subsets of the labels; the trainer handles that with a
  partial-annotation loss (see :mod:`.train`).

Layout on disk follows transformers: ``config.json`` (with ``id2label``) and
``model.safetensors`` (or shards ``model-0000k-of-0000n.safetensors`` when one file would
exceed :data:`MAX_SHARD_BYTES`).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch
from torch import nn

from lit.errors import ModelError
from lit.models.ner.config import NerConfig, resolve_base
from lit.models.ner.features import N_CHEM, N_SHAPES

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
MAX_SHARD_BYTES = 16 * 1024 * 1024


class NerModel(nn.Module):
    """Token classifier over subwords; ``forward`` returns logits ``(batch, seq, n_tags)``."""

    def __init__(self, config: NerConfig, encoder: nn.Module, tokenizer: Any, base_path: Path):
        super().__init__()
        self.config = config
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.base_path = base_path
        hidden = encoder.config.hidden_size
        self.case = None
        if config.case_features:
            self.case = nn.ModuleList(
                [nn.Embedding(N_SHAPES, hidden), nn.Embedding(N_SHAPES, hidden), nn.Embedding(N_CHEM, hidden)]
            )
            for emb in self.case:
                nn.init.zeros_(emb.weight)
        self.dropout = nn.Dropout(config.dropout)
        self.n_heads = len(config.head_names)
        #: The head used when ``forward`` is not told per row (inference): 0 = first corpus.
        self.head = 0
        self.classifier = nn.Linear(hidden, len(config.tags) * self.n_heads)
        nn.init.normal_(self.classifier.weight, std=0.02)
        nn.init.zeros_(self.classifier.bias)

    def train(self, mode: bool = True) -> "NerModel":
        """Training mode, except for the embeddings and layers below ``freeze_below``: they are
        a fixed feature extractor, and their dropout (with LoRA's) made a training forward pass
        3x slower than an inference one while only adding noise to what they extract."""
        super().train(mode)
        if mode and self.config.freeze_below:
            self.encoder.embeddings.eval()
            for layer in self.encoder.encoder.layer[: self.config.freeze_below]:
                layer.eval()
        return self

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        features: torch.Tensor | None = None,
        heads: torch.Tensor | None = None,
        positions: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits ``(batch, seq, n_tags)``; ``heads`` picks each row's head (training).

        ``positions`` ``(batch, k)``: only those subwords' logits, ``(batch, k, n_tags)``.
        Inference needs a word's first subword, and only in the window that owns it (about
        60 % of the subwords of chemistry text), so the last layer then runs its queries,
        feed-forward and head for those alone; its keys and values still see every subword,
        which keeps the result the full forward's at those positions.
        """
        from transformers.masking_utils import create_bidirectional_mask

        case = None
        if self.case is not None and features is not None:
            case = self.case[0](features[..., 0]) + self.case[1](features[..., 1]) + self.case[2](features[..., 2])
        k = self.config.adapt_from_layer
        hidden = self.encoder.get_input_embeddings()(input_ids)
        if case is not None and k == 0:
            hidden = hidden + case
        hidden = self.encoder.embeddings(inputs_embeds=hidden)
        mask = create_bidirectional_mask(config=self.encoder.config, inputs_embeds=hidden, attention_mask=attention_mask)
        # The layers run here, not through the encoder's own forward, so that nothing is
        # patched per call (hooks, a shortened layer list): inference runs batches on several
        # threads at once through this one module.
        layers = self.encoder.encoder.layer
        for i, layer in enumerate(layers):
            if case is not None and i == k > 0:  # the casing joins at layer k's input
                hidden = hidden + case.to(hidden.dtype)
            if positions is not None and i == len(layers) - 1:
                hidden = last_layer_at(layer, hidden, attention_mask, positions)
            else:
                hidden = layer(hidden, mask)
        return self._logits(hidden, heads)

    def _logits(self, hidden: torch.Tensor, heads: torch.Tensor | None) -> torch.Tensor:
        logits = self.classifier(self.dropout(hidden))
        if self.n_heads == 1:
            return logits
        b, n = logits.shape[:2]
        logits = logits.view(b, n, self.n_heads, -1)
        if heads is None:
            return logits[:, :, self.head]
        return logits[torch.arange(b, device=logits.device), :, heads]

    # -- what is trained and saved -------------------------------------------------------

    def artifact_names(self) -> set[str]:
        """The parameters an artifact holds: adapters, casing and heads, trained or frozen."""
        return {n for n, _ in self.named_parameters() if "lora_" in n or n.startswith(("case.", "classifier."))}

    def trainable_state_dict(self) -> dict[str, torch.Tensor]:
        """A copy of the adapters, casing and heads: what an artifact holds (the base never)."""
        names = self.artifact_names()
        return {n: p.detach().clone() for n, p in self.named_parameters() if n in names}

    def load_trainable(self, state: dict[str, torch.Tensor], source: str = "<state>") -> None:
        expected = self.artifact_names()
        missing = sorted(expected - set(state))
        unexpected = sorted(set(state) - expected)
        if missing or unexpected:
            raise ModelError(
                f"{source}: weights do not match the config (missing {missing[:5]}, unexpected {unexpected[:5]}); "
                "was it saved with a different config or base encoder?"
            )
        try:
            self.load_state_dict(state, strict=False)
        except RuntimeError as exc:  # same names, different shapes (e.g. another LoRA rank)
            raise ModelError(
                f"{source}: weights do not match the config ({str(exc).splitlines()[-1].strip()}); "
                "was it saved with a different config or base encoder?"
            ) from exc

    def merge_adapters(self) -> None:
        """Fold LoRA into the base weights: plain Linear layers, faster and quantisable."""
        from peft.tuners.lora import LoraLayer

        for name, module in list(self.encoder.named_modules()):
            if isinstance(module, LoraLayer):
                module.merge()
                parent_name, _, child = name.rpartition(".")
                parent = self.encoder.get_submodule(parent_name) if parent_name else self.encoder
                setattr(parent, child, module.get_base_layer())

    def save_pretrained(self, directory: str | Path, extra_config: dict[str, Any] | None = None) -> list[Path]:
        """Write ``config.json`` and the trainable weights (sharded at 16 MiB) into ``directory``."""
        from safetensors.torch import save_file

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        cfg = self.config.to_dict()
        cfg["model_type"] = "lit-ner"
        cfg["base_hidden_size"] = self.encoder.config.hidden_size
        cfg.update(extra_config or {})
        (out / CONFIG_NAME).write_text(json.dumps(cfg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        state = {k: v.contiguous().cpu() for k, v in self.trainable_state_dict().items()}
        shards: list[dict[str, torch.Tensor]] = [{}]
        size = 0
        for name in sorted(state):
            nbytes = state[name].numel() * state[name].element_size()
            if shards[-1] and size + nbytes > MAX_SHARD_BYTES - 64 * 1024:
                shards.append({})
                size = 0
            shards[-1][name] = state[name]
            size += nbytes
        for old in out.glob("model*.safetensors"):
            old.unlink()
        written: list[Path] = []
        meta = {"format": "pt", "lit_version": self.config.version}
        if len(shards) == 1:
            save_file(shards[0], str(out / WEIGHTS_NAME), metadata=meta)
            written.append(out / WEIGHTS_NAME)
        else:
            index = {}
            for k, shard in enumerate(shards, 1):
                fname = f"model-{k:05d}-of-{len(shards):05d}.safetensors"
                save_file(shard, str(out / fname), metadata=meta)
                index.update({n: fname for n in shard})
                written.append(out / fname)
            (out / "model.safetensors.index.json").write_text(json.dumps({"weight_map": index}, indent=2))
        return written

    @classmethod
    def from_pretrained(cls, directory: str | Path, merge: bool = True) -> "NerModel":
        """Rebuild the model from an artifact folder; the base comes from its package/env.

        ``merge`` folds the adapters into the base weights for inference; keep it False to
        continue training.
        """
        d = Path(directory)
        cfg_path = d / CONFIG_NAME
        if not cfg_path.is_file():
            raise ModelError(
                f"{cfg_path}: no NER config file; is {d} a model folder written by save_pretrained "
                "(or `lit train ner --out DIR`)?"
            )
        try:
            data = json.loads(cfg_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ModelError(f"{cfg_path}: not valid JSON ({exc}); re-save the model") from exc
        config = NerConfig.from_dict(data, source=str(cfg_path))
        state = read_weights(d)
        model = build_model(config)
        hidden = data.get("base_hidden_size")
        if hidden is not None and hidden != model.encoder.config.hidden_size:
            raise ModelError(
                f"{d}: trained on a base with hidden size {hidden}, but the base at {model.base_path} has "
                f"{model.encoder.config.hidden_size}; point LIT_BASE_ENCODER at the base it was trained on"
            )
        model.load_trainable(state, source=str(d))
        if merge:
            model.merge_adapters()
        model.eval()
        return model


def read_weights(directory: Path) -> dict[str, torch.Tensor]:
    """All tensors of an artifact folder (one file, or the shards its index lists)."""
    from safetensors.torch import load_file

    index = directory / "model.safetensors.index.json"
    if index.is_file():
        files = sorted(set(json.loads(index.read_text())["weight_map"].values()))
    else:
        files = [WEIGHTS_NAME]
    state: dict[str, torch.Tensor] = {}
    for fname in files:
        path = directory / fname
        if not path.is_file():
            raise ModelError(
                f"{path}: weights file missing; the model folder is incomplete, copy it again or retrain "
                "with `lit train ner`"
            )
        state.update(load_file(str(path)))
    return state


def init_from(model: NerModel, directory: str | Path) -> int:
    """Copy an artifact's adapters, casing and heads into ``model`` (a fresh one about to train).

    Weights of layers ``model`` does not keep are skipped; every weight ``model`` has must be
    there with the same shape, or the two were not built alike (another rank, base or label
    set) and starting from it would be silently half-initialised. Returns the count copied.
    """
    d = Path(directory)
    if not (d / CONFIG_NAME).is_file():
        raise ModelError(f"{d}: init_from is not a model folder (no {CONFIG_NAME})")
    state = read_weights(d)
    names = model.artifact_names()
    missing = sorted(names - set(state))
    if missing:
        raise ModelError(f"{d}: init_from lacks {len(missing)} weights this model has (e.g. {missing[:3]})")
    model.load_trainable({n: state[n] for n in names}, source=str(d))
    return len(names)


def last_layer_at(layer: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor,
                  positions: torch.Tensor) -> torch.Tensor:
    """A BERT layer's output ``(batch, k, hidden)`` at ``positions`` only, from its full input.

    The same operations as the layer's own forward (queries, scaled dot-product attention
    over every unmasked key, output projection, feed-forward, both residual LayerNorms), with
    the queries and everything after them taken at ``positions``; the mask is dropped when
    no row is padded, as transformers does for the layers before. The relation model's
    encoder uses it too: it needs only the subwords its mentions cover.
    """
    att = layer.attention.self
    b, _, width = hidden.shape
    picked = hidden.gather(1, positions.unsqueeze(-1).expand(-1, -1, width))

    def split(x: torch.Tensor) -> torch.Tensor:
        return x.view(b, -1, att.num_attention_heads, att.attention_head_size).transpose(1, 2)

    keep = None if bool(attention_mask.all()) else attention_mask.bool()[:, None, None, :]
    context = torch.nn.functional.scaled_dot_product_attention(
        split(att.query(picked)), split(att.key(hidden)), split(att.value(hidden)), attn_mask=keep,
        dropout_p=att.dropout.p if att.training else 0.0, scale=att.scaling,
    )
    mixed = layer.attention.output(context.transpose(1, 2).reshape(b, -1, width), picked)
    return layer.output(layer.intermediate(mixed), mixed)


def _layer_of(name: str) -> int | None:
    """The encoder layer a parameter name belongs to (``...layer.3.attention...`` -> 3)."""
    m = re.search(r"\.layer\.(\d+)\.", name)
    return int(m.group(1)) if m else None


def build_model(config: NerConfig, seed: int | None = None) -> NerModel:
    """A fresh model: frozen base from :func:`resolve_base`, adapters and head initialised."""
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    if seed is not None:
        torch.manual_seed(seed)
    base = resolve_base(config.base)
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(base), use_fast=True)
        encoder = AutoModel.from_pretrained(str(base), add_pooling_layer=False)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{base}: cannot load the base encoder ({exc})") from exc
    # Windowing (not the tokenizer) bounds the length; silence its >512 warning.
    tokenizer.model_max_length = 1_000_000_000
    if not getattr(tokenizer, "is_fast", False):
        raise ModelError(f"{base}: needs a fast tokenizer (tokenizer.json) for character offsets")
    for p in encoder.parameters():
        p.requires_grad_(False)
    if config.layers is not None:
        if config.layers > encoder.config.num_hidden_layers:
            raise ModelError(f"{base}: has {encoder.config.num_hidden_layers} layers, the config keeps {config.layers}")
        encoder.encoder.layer = encoder.encoder.layer[: config.layers]
        encoder.config.num_hidden_layers = config.layers
    if config.lora_r > 0:
        from peft import LoraConfig, inject_adapter_in_model

        lora = LoraConfig(
            r=config.lora_r,
            lora_alpha=config.lora_alpha,
            lora_dropout=config.lora_dropout,
            target_modules=config.lora_targets,
            layers_to_transform=list(range(config.adapt_from_layer, encoder.config.num_hidden_layers)),
            layers_pattern="layer",
            bias="none",
        )
        encoder = inject_adapter_in_model(lora, encoder)
        for n, p in encoder.named_parameters():
            p.requires_grad_("lora_" in n and (_layer_of(n) or 0) >= config.freeze_below)
    model = NerModel(config, encoder, tokenizer, base)
    if config.freeze_below and model.case is not None:
        model.case.requires_grad_(False)
    return model
