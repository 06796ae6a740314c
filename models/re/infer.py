"""``RelationModel``: what the extraction pipeline calls to link mentions into relations.

One call handles one paragraph (or any block of text), or many: candidates are built
from the mentions and sentence spans, each paragraph's windows are encoded once, every
candidate is scored, and :func:`lit.models.re.decode.decode` turns the probabilities into
:class:`~lit.extract.facts.Relation` objects whose ``score`` is the calibrated probability
that the (compound, property, value) triple is right.

A paragraph's scores depend on which other paragraphs share the call at most in the last
bits of float32, so the pipeline batches paragraphs across documents and gets each
document's facts alone: windows are padded to a length bucket and batched only with
same-bucket windows, never one row alone (the NER tagger's rule,
:func:`lit.models.ner.infer.bucketed`; bitwise on the AVX2 machine, not on an AVX-512 CPU,
see :mod:`lit.models.ner.infer`), the pooling of mention vectors and the pair scorer, whose
row count would otherwise vary with the batch, run per paragraph, and candidate
probabilities are rounded to :data:`PROB_DECIMALS` (the precision a relation's score is
written at) before the decoder's thresholds see them. (On CUDA with bf16 the differences
are larger: kernels vary with batch shape.)

Torch and transformers are imported only when a model is loaded, so importing this module
is cheap.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from lit.extract.facts import Mention, Relation
from lit.models.re.decode import Decoding, PredTuple, decode
from lit.models.re.data import EncodedInstance, Instance, from_mentions

#: Candidate probabilities are rounded to this many decimals before the decoder compares
#: them with its thresholds and with each other: the precision of the relation score lit
#: writes, so what is decided is what is written (float noise far below it then changes a
#: decision only where a probability sits on a rounding boundary).
PROB_DECIMALS = 4


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
        """Load ``path`` (default: the bundle's relation model, :mod:`lit.models.bundle`) for inference, offline."""
        import torch

        from lit.models.bundle import default_artifact
        from lit.models.ner.infer import resolve_device
        from lit.models.re.model import RelationNet

        target = Path(path) if path is not None else default_artifact("re")
        torch.set_num_threads(max(1, os.cpu_count() or 1))
        net, data = RelationNet.from_pretrained(target, merge=True)
        dev = resolve_device(device)
        net.to(dev)
        return cls(net, Decoding.from_dict(data.get("decoding")), dev, target)

    def instance(self, text: str, mentions: Sequence[Mention], sentences: Sequence[tuple[int, int]]) -> Instance:
        return from_mentions(text, [(m.start, m.end, m.label) for m in mentions], sentences, self.config)

    def probabilities(self, instances: Sequence[Instance]) -> list[list[float]]:
        """Candidate probabilities of many instances (in candidate order), batched across them.

        An instance's probabilities do not depend, beyond float noise that the rounding to
        :data:`PROB_DECIMALS` absorbs, on which other instances share the call (see the
        module docstring), so the pipeline can score the paragraphs of many documents at
        once and still give each document its facts alone.
        """
        from lit.models.re.data import encode_instances

        todo = [i for i, inst in enumerate(instances) if inst.candidates]
        out: list[list[float]] = [[] for _ in instances]
        if not todo:
            return out
        enc = encode_instances(self.net.tokenizer, [instances[i] for i in todo], self.config.max_len, self.config.stride)
        hidden = self.window_states(enc)
        for j, i in enumerate(todo):
            out[i] = self.score_instance(instances[i], enc[j], hidden[j])
        return out

    def window_states(self, encoded: Sequence[EncodedInstance], forward: Any = None) -> list[dict[tuple[int, int], Any]]:
        """Encoder output at the subwords that mentions cover, per instance: ``{(window,
        position): vector}``. Only those rows are kept, so a group of long documents does not
        hold every window's states (a 512 KiB group would be ~300 MB of them).

        Windows of all instances are sorted into length buckets (a multiple of
        :data:`~lit.models.ner.infer.BUCKET`) and run in batches of same-bucket windows, never
        one row alone, exactly as the NER tagger runs its windows (and like it, several
        batches at once on CPU: :func:`~lit.models.ner.infer.map_batches`), and the encoder's last
        layer runs only for the wanted subwords (the ``positions`` of :meth:`encode`).
        ``forward`` (optional) replaces the encoder call ``(input_ids, attention_mask,
        features, positions=) -> states``: the benchmark times the forward pass alone through it.
        """
        import torch

        from lit.models.ner.infer import bucketed, map_batches, padded_positions

        items = [(j, k) for j, e in enumerate(encoded) for k in range(len(e.windows))]
        wanted: list[dict[int, list[int]]] = []  # per instance: window -> positions mentions use
        for e in encoded:
            by_window: dict[int, set[int]] = {}
            for subs in e.mention_subwords:
                for k, pos in subs:
                    by_window.setdefault(k, set()).add(pos)
            wanted.append({k: sorted(ps) for k, ps in by_window.items()})

        def size(item: tuple[int, int]) -> int:
            return len(encoded[item[0]].windows[item[1]])

        cuda = self.device.startswith("cuda")
        run = forward or self.encode

        def run_batch(batch: tuple[int, list[tuple[int, int]]]) -> tuple[list, list[list[int]], Any]:
            L, chunk = batch
            ids = torch.zeros((len(chunk), L), dtype=torch.long)
            mask = torch.zeros((len(chunk), L), dtype=torch.long)
            feats = torch.zeros((len(chunk), L, 3), dtype=torch.long)
            want = [wanted[j].get(k, []) for j, k in chunk]
            for r, (j, k) in enumerate(chunk):
                window = encoded[j].windows[k]
                ids[r, : len(window)] = torch.tensor(window)
                mask[r, : len(window)] = 1
                feats[r, : len(window)] = torch.tensor(encoded[j].features[k])
            ids, mask, feats = ids.to(self.device), mask.to(self.device), feats.to(self.device)
            positions = padded_positions(want).to(self.device)
            with torch.inference_mode(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=cuda):
                return chunk, want, run(ids, mask, feats, positions=positions).float()

        states: list[dict[tuple[int, int], Any]] = [{} for _ in encoded]
        for chunk, want, h in map_batches(run_batch, bucketed(items, size, 32, self.batch_tokens), self.device):
            for r, (j, k) in enumerate(chunk):  # a doubled lone row fills the same slots twice
                for pos, row in zip(want[r], h[r]):
                    states[j][(k, pos)] = row
        return states

    def encode(self, input_ids: Any, attention_mask: Any, features: Any, positions: Any = None) -> Any:
        """The encoder's forward pass over a batch of windows: ``(rows, length, hidden)``, or
        ``(rows, k, hidden)`` at ``positions`` ``(rows, k)``."""
        return self.net.top(self.net.bottom(input_ids, attention_mask), attention_mask, features, positions)

    def score_instance(self, instance: Instance, encoded: EncodedInstance, states: dict[tuple[int, int], Any]) -> list[float]:
        """Probabilities of one instance's candidates from its mentions' subword states.

        Pooling (each mention the mean of its subword vectors) and the pair scorer run per
        instance, so their float results cannot depend on the row count of a batch shared
        with other paragraphs.
        """
        import torch

        vectors = [states[(k, pos)] for subs in encoded.mention_subwords for k, pos in subs]
        owner = [m for m, subs in enumerate(encoded.mention_subwords) for _ in subs]
        pairs = [[c.head, c.tail, c.type, c.distance, c.sentence, c.rank, c.between] for c in instance.candidates]
        with torch.inference_mode():
            vals = torch.stack(vectors)
            n = len(encoded.mention_subwords)
            sums = torch.zeros((n, vals.shape[-1]), dtype=vals.dtype, device=vals.device)
            index = torch.tensor(owner, dtype=torch.long, device=vals.device)
            sums.index_add_(0, index, vals)
            counts = torch.bincount(index, minlength=n).clamp(min=1).to(vals.dtype)
            logits = self.net.score(sums / counts.unsqueeze(1), torch.tensor(pairs, dtype=torch.long, device=vals.device))
            return torch.sigmoid(logits.float()).round(decimals=PROB_DECIMALS).cpu().tolist()

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
