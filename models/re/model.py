"""The relation network: shared encoder (NER's loader, casing and LoRA) + a pair scorer.

Why this shape:

- **Encode once, score many.** A paragraph's windows go through the encoder once; each
  mention becomes the mean of its subword vectors; every candidate pair is then one MLP
  call over ``[head; value; head*value; link type; distance; sentence; rank; between]``.
  Cost grows with paragraph length, not with the number of pairs.
- **Same base as NER.** The encoder, tokenizer, casing embeddings and LoRA injection come
  from :func:`lit.models.ner.model.build_model`, so both models load the base the same way
  (``LIT_BASE_ENCODER`` swaps it) and read casing the same way.
- **Split at the first adapted layer.** Layers below ``adapt_from_layer`` are frozen, so
  :meth:`RelationNet.bottom` can be run once per training window and cached; training
  then runs only the adapted layers (:meth:`RelationNet.top`). Casing is added at the
  input of the first adapted layer, as NER does.

An artifact is ``config.json`` (the :class:`ReConfig` plus ``decoding``: thresholds and
calibration) and ``model.safetensors`` with the trainable tensors only (a few MiB).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch
from torch import nn

from lit.errors import ModelError
from lit.models.re.candidates import N_BETWEEN, N_DIST, N_RANK, N_SENT
from lit.models.re.config import LINK_TYPES, ReConfig

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
MAX_FILE_BYTES = 16 * 1024 * 1024


class RelationNet(nn.Module):
    """Scores candidate pairs; :meth:`forward` returns one logit per pair of a :class:`PairBatch`."""

    def __init__(self, config: ReConfig, body: nn.Module):
        super().__init__()
        self.config = config
        self.body = body  # a NerModel: .encoder (LoRA-injected), .tokenizer, .case, .base_path
        self.body.classifier = nn.Identity()
        hidden = body.encoder.config.hidden_size
        fd = config.feature_dim
        self.type_emb = nn.Embedding(len(LINK_TYPES), fd)
        self.dist_emb = nn.Embedding(N_DIST, fd)
        self.sent_emb = nn.Embedding(N_SENT, fd)
        self.rank_emb = nn.Embedding(N_RANK, fd)
        self.between_emb = nn.Embedding(N_BETWEEN, fd)
        self.mlp = nn.Sequential(
            nn.Dropout(config.dropout),
            nn.Linear(3 * hidden + 5 * fd, config.mlp_hidden),
            nn.GELU(),
            nn.Dropout(config.dropout),
            nn.Linear(config.mlp_hidden, 1),
        )

    @property
    def tokenizer(self) -> Any:
        return self.body.tokenizer

    @property
    def layers(self) -> nn.ModuleList:
        return self.body.encoder.encoder.layer

    def _mask(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> Any:
        from transformers.masking_utils import create_bidirectional_mask

        return create_bidirectional_mask(
            config=self.body.encoder.config, inputs_embeds=hidden, attention_mask=attention_mask
        )

    def bottom(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Hidden states at the input of the first adapted layer (frozen: no gradient)."""
        with torch.no_grad():
            h = self.body.encoder.embeddings(input_ids=input_ids)
            mask = self._mask(h, attention_mask)
            for layer in self.layers[: self.config.adapt_from_layer]:
                h = layer(h, mask)
        return h

    def frozen_bottom(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, features: torch.Tensor,
                      upto: int) -> torch.Tensor:
        """Hidden states at the input of layer ``upto``: :meth:`bottom`, the casing, then the
        adapted layers below ``upto`` with their adapters as they are (no gradient; training
        with ``freeze_below`` caches this and runs :meth:`top_from` ``upto``)."""
        with torch.no_grad():
            hidden = self.bottom(input_ids, attention_mask)
            hidden = self._add_case(hidden, features)
            mask = self._mask(hidden, attention_mask)
            for layer in self.layers[self.config.adapt_from_layer : upto]:
                hidden = layer(hidden, mask)
        return hidden

    def top_from(self, hidden: torch.Tensor, attention_mask: torch.Tensor, start: int) -> torch.Tensor:
        """Layers ``start``.. on :meth:`frozen_bottom`'s output (casing already added)."""
        mask = self._mask(hidden, attention_mask)
        for layer in self.layers[start:]:
            hidden = layer(hidden, mask)
        return hidden

    def _add_case(self, hidden: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        case = self.body.case
        if case is None:
            return hidden
        return hidden + (case[0](features[..., 0]) + case[1](features[..., 1]) + case[2](features[..., 2])).to(
            hidden.dtype)

    def top(self, hidden: torch.Tensor, attention_mask: torch.Tensor, features: torch.Tensor,
            positions: torch.Tensor | None = None) -> torch.Tensor:
        """The adapted layers on top of :meth:`bottom`'s output, casing added at their input;
        with ``positions`` ``(rows, k)`` the output is at those subwords only, the last layer
        run for them alone (:func:`~lit.models.ner.model.last_layer_at`)."""
        case = self.body.case
        if case is not None:
            hidden = hidden + (case[0](features[..., 0]) + case[1](features[..., 1]) + case[2](features[..., 2])).to(
                hidden.dtype
            )
        from lit.models.ner.model import last_layer_at

        mask = self._mask(hidden, attention_mask)
        adapted = self.layers[self.config.adapt_from_layer :]
        for layer in adapted if positions is None else adapted[:-1]:
            hidden = layer(hidden, mask)
        if positions is None:
            return hidden
        return last_layer_at(adapted[-1], hidden, attention_mask, positions)

    def pool(self, hidden: torch.Tensor, batch: Any) -> torch.Tensor:
        """Mean subword vector of every mention of the batch, ``(n_mentions, hidden)``."""
        flat = hidden.reshape(-1, hidden.shape[-1]).float()
        vals = flat.index_select(0, batch.sub_rows)
        sums = torch.zeros((batch.n_mentions, flat.shape[-1]), device=flat.device, dtype=flat.dtype)
        sums.index_add_(0, batch.sub_mention, vals)
        counts = torch.bincount(batch.sub_mention, minlength=batch.n_mentions).clamp(min=1).to(flat.dtype)
        return sums / counts.unsqueeze(1)

    def score(self, mentions: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
        """One logit per pair row ``(head, tail, type, distance, sentence, rank, between)``."""
        if pairs.shape[0] == 0:
            return mentions.new_zeros((0,))
        h = mentions.index_select(0, pairs[:, 0])
        t = mentions.index_select(0, pairs[:, 1])
        x = torch.cat(
            [
                h,
                t,
                h * t,
                self.type_emb(pairs[:, 2]),
                self.dist_emb(pairs[:, 3]),
                self.sent_emb(pairs[:, 4]),
                self.rank_emb(pairs[:, 5]),
                self.between_emb(pairs[:, 6]),
            ],
            dim=-1,
        )
        return self.mlp(x).squeeze(-1)

    def forward(self, batch: Any, bottom: torch.Tensor | None = None, start: int | None = None) -> torch.Tensor:
        """Pair logits for ``batch``; ``bottom`` is a cached :meth:`bottom` output when given, or
        a cached :meth:`frozen_bottom` output up to layer ``start`` when ``start`` is given."""
        if start is not None and bottom is not None:
            return self.score(self.pool(self.top_from(bottom, batch.attention_mask, start), batch), batch.pairs)
        if bottom is None:
            bottom = self.bottom(batch.input_ids, batch.attention_mask)
        hidden = self.top(bottom, batch.attention_mask, batch.features)
        return self.score(self.pool(hidden, batch), batch.pairs)

    # -- what is trained and saved -------------------------------------------------------

    def trainable_state_dict(self) -> dict[str, torch.Tensor]:
        """Only the parameters that train (adapters, casing, scorer): what an artifact holds."""
        return {n: p.detach().clone() for n, p in self.named_parameters() if p.requires_grad}

    def load_trainable(self, state: dict[str, torch.Tensor], source: str = "<state>") -> None:
        expected = {n for n, p in self.named_parameters() if p.requires_grad}
        missing, unexpected = sorted(expected - set(state)), sorted(set(state) - expected)
        if missing or unexpected:
            raise ModelError(
                f"{source}: weights do not match the RE config (missing {missing[:5]}, unexpected {unexpected[:5]}); "
                "was it saved with a different config or base encoder?"
            )
        self.load_state_dict(state, strict=False)

    def save_pretrained(self, directory: str | Path, extra_config: dict[str, Any] | None = None) -> Path:
        """Write ``config.json`` and ``model.safetensors`` (trainable tensors) into ``directory``."""
        from safetensors.torch import save_file

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        cfg = self.config.to_dict()
        cfg["model_type"] = "lit-re"
        cfg["base_hidden_size"] = self.body.encoder.config.hidden_size
        cfg.update(extra_config or {})
        (out / CONFIG_NAME).write_text(json.dumps(cfg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        state = {k: v.contiguous().cpu().float() for k, v in self.trainable_state_dict().items()}
        size = sum(v.numel() * v.element_size() for v in state.values())
        if size > MAX_FILE_BYTES - 64 * 1024:
            raise ModelError(f"{out}: trainable weights are {size} bytes, over the 16 MiB artifact limit; lower lora_r")
        save_file(state, str(out / WEIGHTS_NAME), metadata={"format": "pt", "lit_version": self.config.version})
        return out / WEIGHTS_NAME

    @classmethod
    def from_pretrained(cls, directory: str | Path, merge: bool = True) -> tuple["RelationNet", dict[str, Any]]:
        """Rebuild the network from an artifact folder; returns it and the raw config dict."""
        from safetensors.torch import load_file

        d = Path(directory)
        cfg_path = d / CONFIG_NAME
        if not cfg_path.is_file():
            raise ModelError(f"{cfg_path}: no RE config file; is {d} a folder written by `lit train re`?")
        try:
            data = json.loads(cfg_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ModelError(f"{cfg_path}: not valid JSON ({exc}); re-save the model") from exc
        if data.get("model_type") != "lit-re":
            raise ModelError(f"{cfg_path}: model_type is {data.get('model_type')!r}, not 'lit-re'")
        config = ReConfig.from_dict(data, source=str(cfg_path))
        weights = d / WEIGHTS_NAME
        if not weights.is_file():
            raise ModelError(f"{weights}: weights file missing; copy the model folder again or retrain (`lit train re`)")
        net = build_net(config)
        hidden = data.get("base_hidden_size")
        if hidden is not None and hidden != net.body.encoder.config.hidden_size:
            raise ModelError(
                f"{d}: trained on a base with hidden size {hidden}, but the base at {net.body.base_path} has "
                f"{net.body.encoder.config.hidden_size}; point LIT_BASE_ENCODER at the base it was trained on"
            )
        net.load_trainable(load_file(str(weights)), source=str(d))
        if merge:
            net.body.merge_adapters()
        net.eval()
        return net, data


def init_from(net: RelationNet, directory: str | Path) -> int:
    """Copy a trained RE artifact's weights into ``net`` (fresh, about to train); every
    trainable tensor must be there with the same shape. Returns the count copied."""
    from safetensors.torch import load_file

    d = Path(directory)
    if not d.is_absolute() and not d.is_dir():  # a path in a config is relative to the repository
        from lit.models.corpora.spec import REPO

        d = REPO / d
    if not (d / WEIGHTS_NAME).is_file() or not (d / CONFIG_NAME).is_file():
        raise ModelError(f"{d}: init_from is not an RE model folder (needs {CONFIG_NAME} and {WEIGHTS_NAME})")
    state = load_file(str(d / WEIGHTS_NAME))
    own = net.trainable_state_dict()
    bad = sorted(n for n in own if n in state and tuple(state[n].shape) != tuple(own[n].shape))
    if bad:
        raise ModelError(f"{d}: init_from weights have other shapes (e.g. {bad[:3]}); build the config alike")
    net.load_trainable({n: state[n] for n in own if n in state} if set(own) <= set(state) else state, source=str(d))
    return len(own)


def build_net(config: ReConfig, seed: int | None = None) -> RelationNet:
    """A fresh network: NER's frozen base + LoRA + casing, and a new pair scorer."""
    from lit.models.ner.config import NerConfig
    from lit.models.ner.model import build_model

    if seed is not None:
        torch.manual_seed(seed)
    body = build_model(
        NerConfig(
            version=config.version,
            base=config.base,
            case_features=config.case_features,
            lora_r=config.lora_r,
            lora_alpha=config.lora_alpha,
            lora_dropout=config.lora_dropout,
            lora_targets=list(config.lora_targets),
            adapt_from_layer=config.adapt_from_layer,
            dropout=config.dropout,
        )
    )
    layers = body.encoder.config.num_hidden_layers
    if config.adapt_from_layer >= layers:
        raise ModelError(f"adapt_from_layer {config.adapt_from_layer}: the base has {layers} layers, none would be adapted")
    return RelationNet(config, body)
