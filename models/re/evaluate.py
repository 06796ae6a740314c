"""Scoring the relation model, and the rule-based linker, on a corpus split with gold mentions.

Both systems get the same gold mentions and the same sentence spans: the trained model
per paragraph, the rule-based linker (:func:`lit.extract.link.link_sentence`) per
sentence with the previous sentence's first compound carried over, exactly as
:mod:`lit.extract.pipeline` calls it. Their outputs are scored by :mod:`.metrics`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Sequence

from lit.extract.document import Sentence
from lit.extract.facts import Mention
from lit.models.re.data import Instance
from lit.models.re.decode import PredTuple


def _mentions(inst: Instance) -> list[Mention]:
    return [Mention(s, e, label, inst.text[s:e]) for s, e, label in inst.mentions]


def rule_tuples(inst: Instance) -> list[PredTuple]:
    """The rule-based linker's relations on the instance's gold mentions, as mention-index tuples."""
    from lit.extract.link import link_sentence

    mentions = _mentions(inst)
    index = {(m.start, m.end, m.label): i for i, m in enumerate(mentions)}
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, mentions[i].end))
    out: list[PredTuple] = []
    carried: Mention | None = None
    for k, (s, e) in enumerate(inst.sentences):
        ms = [mentions[i] for i in order if s <= mentions[i].start < e]
        sent = Sentence(doc_id=inst.id, index=k, start=s, end=e, text=inst.text[s:e])
        for r in link_sentence(sent, ms, carried):
            key = lambda m: index[(m.start, m.end, m.label)]  # noqa: E731
            out.append(
                PredTuple(
                    compound=key(r.compound),
                    property=key(r.property) if r.property is not None else None,
                    value=key(r.value),
                    conditions=tuple(key(c) for c in r.conditions),
                    score=r.score,
                    value_index=r.value_index,
                )
            )
        compounds = [m for m in ms if m.label == "COMPOUND"]
        if compounds:
            carried = compounds[0]
    return out


def evaluate_instances(model: Any, instances: Sequence[Instance]) -> dict[str, Any]:
    """Scores of ``model`` (a :class:`RelationModel`) and of the rule linker on ``instances``."""
    from lit.models.re.metrics import score

    t0 = time.monotonic()
    probs = model.probabilities(instances)
    preds = model.decode(instances, probs)
    seconds = time.monotonic() - t0
    rules = [rule_tuples(i) for i in instances]
    return {
        "model_scores": score(instances, preds),
        "rule_scores": score(instances, rules),
        "seconds": round(seconds, 1),
        "_preds": preds,
    }


def evaluate_corpus(
    model_path: str | Path | None, corpus: str, split: str, device: str = "auto", limit: int | None = None
) -> dict[str, Any]:
    """``lit evaluate re``: the model (default: newest ``re-*``) and the rule linker on a split."""
    from lit.models.corpora import load_examples
    from lit.models.re.data import from_example
    from lit.models.re.infer import RelationModel

    model = RelationModel.load(model_path, device=device)
    exs = load_examples(corpus, split)
    if limit:
        exs = exs[:limit]
    insts = [from_example(e, model.config) for e in exs]
    res = evaluate_instances(model, insts)
    res.pop("_preds")
    return {"model": str(model.path), "version": model.version, "corpus": corpus, "split": split,
            "examples": len(insts), **res}
