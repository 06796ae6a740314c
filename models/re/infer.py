"""``RelationModel``: what the extraction pipeline calls to link mentions into relations.

One call handles one paragraph (or any block of text): candidates are built from the
mentions and sentence spans, the paragraph's windows are encoded once, every candidate is
scored, and :func:`lit.models.re.decode.decode` turns the probabilities into
:class:`~lit.extract.facts.Relation` objects whose ``score`` is the calibrated probability
that the (compound, property, value) triple is right.

Torch and transformers are imported only when a model is loaded, so importing this module
is cheap.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from lit.extract.facts import Mention, Relation
from lit.models.re.decode import Decoding, PredTuple, decode
from lit.models.re.data import Instance, from_mentions


def newest_re_model() -> Path:
    """The most recently trained ``models/trained/re-*`` artifact."""
    from lit.models.ner.infer import TRAINED_DIR, newest_model

    return newest_model(TRAINED_DIR, prefix="re-")


class RelationModel:
    """A loaded relation model with its tuned decoder, on CPU or CUDA."""

    def __init__(self, net: Any, decoding: Decoding, device: str = "cpu", path: Path | None = None,
                 batch_tokens: int = 8192):
        self.net = net
        self.config = net.config
        self.decoding = decoding
        self.device = device
        self.path = path
        self.version = net.config.version
        self.batch_tokens = batch_tokens

    @classmethod
    def load(cls, path: str | Path | None = None, device: str = "auto") -> "RelationModel":
        """Load ``path`` (default: the newest ``models/trained/re-*``) for inference, offline."""
        import torch

        from lit.models.ner.infer import resolve_device
        from lit.models.re.model import RelationNet

        target = Path(path) if path is not None else newest_re_model()
        torch.set_num_threads(max(1, os.cpu_count() or 1))
        net, data = RelationNet.from_pretrained(target, merge=True)
        dev = resolve_device(device)
        net.to(dev)
        return cls(net, Decoding.from_dict(data.get("decoding")), dev, target)

    def instance(self, text: str, mentions: Sequence[Mention], sentences: Sequence[tuple[int, int]]) -> Instance:
        return from_mentions(text, [(m.start, m.end, m.label) for m in mentions], sentences, self.config)

    def probabilities(self, instances: Sequence[Instance]) -> list[list[float]]:
        """Candidate probabilities of many instances (batched; one encoder pass per window)."""
        from lit.models.re.data import encode_instances
        from lit.models.re.train import predict_probs

        enc = encode_instances(self.net.tokenizer, instances, self.config.max_len, self.config.stride)
        return predict_probs(self.net, instances, enc, self.device, batch_tokens=self.batch_tokens)

    def decode(self, instances: Sequence[Instance], probs: Sequence[Sequence[float]]) -> list[list[PredTuple]]:
        return [decode(i, p, self.decoding) for i, p in zip(instances, probs)]

    def predict(self, text: str, mentions: list[Mention], sentences: list[tuple[int, int]]) -> list[Relation]:
        """Relations of one paragraph; ``mentions`` and ``sentences`` are offsets into ``text``."""
        return self.predict_many([(text, mentions, sentences)])[0]

    def predict_many(
        self, blocks: Sequence[tuple[str, list[Mention], list[tuple[int, int]]]]
    ) -> list[list[Relation]]:
        """:meth:`predict` for many paragraphs at once (fewer, fuller batches)."""
        insts = [self.instance(t, ms, ss) for t, ms, ss in blocks]
        preds = self.decode(insts, self.probabilities(insts))
        out = []
        for (_text, ms, _ss), ts in zip(blocks, preds):
            out.append([to_relation(t, ms) for t in ts])
        return out


def to_relation(t: PredTuple, mentions: Sequence[Mention]) -> Relation:
    """A decoded tuple (mention indices) as a Relation over the caller's Mention objects."""
    return Relation(
        compound=mentions[t.compound],
        value=mentions[t.value],
        property=mentions[t.property] if t.property is not None else None,
        conditions=tuple(mentions[c] for c in t.conditions),
        score=round(t.score, 4),
        value_index=t.value_index,
    )
