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

from lit.errors import CorpusError
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


def candidate_scores(instances: Sequence[Instance], probs: Sequence[Sequence[float]], decoding: Any) -> dict[str, Any]:
    """Links scored before decoding: every candidate whose probability clears its type's
    threshold is a predicted link. Unlike the decoded pairs, a value may keep several
    compounds here (SOFC-Exp links every material of a frame to its values, the battery
    triples often two materials to one value), and a condition needs no compound."""
    from lit.models.re.config import LINK_TYPES
    from lit.models.re.metrics import prf

    th = {"compound_of": decoding.t_compound, "property_of": decoding.t_property,
          "condition_of": decoding.t_condition}
    counts = {t: [0, 0, 0] for t in LINK_TYPES}
    for inst, ps in zip(instances, probs):
        for cand, p in zip(inst.candidates, ps):
            if p >= th[cand.link_type]:
                counts[cand.link_type][1] += 1
                counts[cand.link_type][0] += (cand.head, cand.tail, cand.link_type) in inst.gold_links
        for _h, _v, typ in inst.gold_links:
            counts[typ][2] += 1
    out = {t: prf(*c) for t, c in counts.items()}
    out["micro"] = prf(*(sum(c[k] for c in counts.values()) for k in range(3)))
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
        "candidate_scores": candidate_scores(instances, probs, model.decoding),
        "rule_scores": score(instances, rules),
        "seconds": round(seconds, 1),
        "_preds": preds,
    }


def evaluate_corpus(
    model_path: str | Path | None, corpus: str, split: str, device: str = "auto", limit: int | None = None,
    require_property: bool | None = None,
) -> dict[str, Any]:
    """``lit evaluate re``: the model (default: the bundle's) and the rule linker on a split.

    ``require_property`` overrides the model's decoder rule that drops a value with no property
    (``None``: the model's, except on a split without any PROPERTY mention, where it is off).
    """
    from lit.models.corpora import load_examples
    from lit.models.re.data import from_example
    from lit.models.re.infer import RelationModel

    model = RelationModel.load(model_path, device=device)
    exs = load_examples(corpus, split)
    if limit:
        exs = exs[:limit]
    insts = [from_example(e, model.config) for e in exs]
    note = None
    from lit.models.re.decode import Decoding

    if require_property is not None and require_property != model.decoding.require_property:
        model.decoding = Decoding.from_dict({**model.decoding.to_dict(), "require_property": require_property})
        note = f"decoded with require_property={str(require_property).lower()} (asked for)"
    elif model.decoding.require_property and not any(m[2] == "PROPERTY" for i in insts for m in i.mentions):
        # A corpus that marks no property mentions (SOFC-Exp: the slot role is the property)
        # cannot have a value's property found; requiring one would drop every value, so
        # such a corpus is decoded without that rule (its compound and condition links scored).
        model.decoding = Decoding.from_dict({**model.decoding.to_dict(), "require_property": False})
        note = "no PROPERTY mentions in this corpus: decoded with require_property=false"
    res = evaluate_instances(model, insts)
    res.pop("_preds")
    out = {"model": str(model.path), "version": model.version, "corpus": corpus, "split": split,
           "examples": len(insts), **res}
    if note:
        out["decoding_note"] = note
    return out


def span_tuples(instance: Instance) -> set[tuple[tuple[int, int], tuple[int, int] | None, tuple[int, int]]]:
    """Gold (compound, property, value) tuples of an instance as character spans."""
    def span(i: int | None):
        return None if i is None else instance.mentions[i][:2]

    return {(span(c), span(p), span(v)) for c, p, v, _ in instance.gold_tuples}


def evaluate_pipeline(
    corpus: str, split: str, extractor: Any = None, limit: int | None = None
) -> dict[str, Any]:
    """Tuple P/R/F1 of what lit's extraction pipeline links, with the mentions it finds itself.

    Each paragraph is read as a one-paragraph text document; the pipeline segments it, finds
    mentions (NER + rules) and links them (relation model + rules). A predicted tuple counts
    only if the character spans of its compound, property and value all equal a gold tuple's
    (strict: a mention one character off is wrong). This is the number a user of lit gets,
    unlike :func:`evaluate_corpus`, which hands both linkers the gold mentions. Properties
    outside lit's vocabulary count too: this scores relations, before normalisation.
    """
    from lit.extract.document import paragraph_document
    from lit.extract.pipeline import Extractor
    from lit.extract.stages import Relate
    from lit.models.corpora import load_examples
    from lit.models.re.config import ReConfig
    from lit.models.re.data import from_example
    from lit.models.re.metrics import prf

    ex = extractor or Extractor.load()
    examples = load_examples(corpus, split)[: limit or None]
    t0 = time.monotonic()
    tp = n_pred = n_gold = 0
    for example in examples:
        gold = span_tuples(from_example(example, ReConfig()))
        doc = paragraph_document(example.text, example.id)
        if doc.text != example.text:
            raise CorpusError(f"{example.id}: the text reader changed the paragraph; offsets would not compare")
        (state,) = ex.analyse([doc], until=Relate)
        if state.exception is not None:
            raise state.exception
        relations = state.relations
        pred = {
            ((r.compound.start, r.compound.end), (r.property.start, r.property.end) if r.property else None,
             (r.value.start, r.value.end))
            for rs in relations for r in rs
        }
        tp += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
    return {"corpus": corpus, "split": split, "examples": len(examples), "model_versions": ex.model_versions,
            "tuples": prf(tp, n_pred, n_gold), "seconds": round(time.monotonic() - t0, 1)}
