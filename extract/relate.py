"""Mentions -> Relations with the trained relation model beside the rule linker.

The relation model (:mod:`lit.models.re`) reads a whole paragraph and scores every
candidate link between a value and the compounds, properties and conditions around it,
also across a sentence boundary; on PolyIE test with gold mentions it finds tuples far
better than the rules (tuple F1 0.67 vs 0.41, model card). The rules, tuned on prose
like the papers lit reads, are more precise where they are sure, and know things the
model was never taught ("respectively" lists, differences, an anaphor's compound). So,
per value mention:

- a "respectively" zip by the rules (several relations, or one with ``value_index``) stays;
- a rule link made the sure way (nearest compound before the value, or "value for X")
  keeps its compound; the model's agreement keeps its score, its disagreement lowers it
  (``DISAGREE``), its silence too (``UNLINKED``);
- a weak rule link (compound after the value, or carried over from the previous
  sentence) gives way to the model's compound when the model links the value elsewhere;
- a value the rules left alone takes the model's relation only when the model is fairly
  sure (calibrated score >= ``ADD_MIN``) and its property, if any, is named in the value's
  own sentence and can take the value's unit.

Paragraphs are what the model reads: consecutive sentences with no line break between
them, the same notion the rule linker uses for carrying a compound over. These settings
were chosen on the dev split of ``corpora/eval`` and PolyIE validation, never on test.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Sequence

from lit.extract.document import Document, Sentence
from lit.extract.facts import Mention, Relation
from lit.extract.link import Judge, names_unknown_property
from lit.extract.state import in_document, relation_in_document

if TYPE_CHECKING:
    from lit.models.re.infer import RelationModel

#: A rule link at least this sure keeps its compound whatever the model says.
SURE = 0.9
#: Score multipliers for a sure rule link the model disagrees with / does not link at all.
DISAGREE = 0.8
UNLINKED = 0.9
#: Calibrated model score needed to add a relation the rules did not make.
ADD_MIN = 0.75


def paragraphs(doc: Document, sentences: Sequence[Sentence]) -> list[list[int]]:
    """Indices of ``sentences`` grouped into paragraphs (no line break inside one)."""
    groups: list[list[int]] = []
    for i, sentence in enumerate(sentences):
        if groups and "\n" not in doc.text[sentences[i - 1].end : sentence.start]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph as the model reads it: its text, where it starts in the document, its
    mentions and its sentence spans in paragraph offsets (what the model takes)."""

    text: str
    start: int
    local: list[Mention]
    spans: list[tuple[int, int]]


class ModelLinker:
    """Links a document's mentions with a :class:`RelationModel`, merged with rule relations."""

    def __init__(self, model: "RelationModel", judge: Judge | None = None):
        self.model = model
        self.judge = judge

    @property
    def version(self) -> str:
        return f"re-{self.model.version}"

    def blocks(
        self, doc: Document, sentences: Sequence[Sentence], mentions: Sequence[Sequence[Mention]]
    ) -> list[Block]:
        """What the model reads of one document: its paragraphs with their mentions.

        Kept apart from :meth:`predict` so that a caller can run it once over the blocks
        of many documents (the model's scores of a paragraph do not depend on what shares the
        call) and then :meth:`merge` each document's own.
        """
        out: list[Block] = []
        for group in paragraphs(doc, sentences):
            start, end = sentences[group[0]].start, sentences[group[-1]].end
            local = in_document([m for i in group for m in mentions[i]], -start)
            spans = [(sentences[i].start - start, sentences[i].end - start) for i in group]
            out.append(Block(doc.text[start:end], start, local, spans))
        return out

    def predict(self, blocks: Sequence[Block]) -> list[list[Relation]]:
        """The model's relations of each block, in document offsets: the same mentions (equal,
        field for field) as the document's own, so the merge can look them up."""
        if not blocks:
            return []
        found = self.model.predict_many([(b.text, b.local, b.spans) for b in blocks])
        return [[relation_in_document(r, b.start) for r in rs] for b, rs in zip(blocks, found)]

    def merge(
        self,
        sentences: Sequence[Sentence],
        mentions: Sequence[Sequence[Mention]],
        rules: Sequence[Sequence[Relation]],
        predicted: Sequence[Sequence[Relation]],
    ) -> list[list[Relation]]:
        """One document's relations per sentence: its rule relations merged with the model's
        relations of its blocks (``predicted``, from :meth:`predict`)."""
        by_value: dict[Mention, list[Relation]] = {}
        for relations in predicted:
            for r in relations:
                by_value.setdefault(r.value, []).append(r)
        return [self._merge(sentences[i], mentions[i], rules[i], by_value) for i in range(len(sentences))]

    def _fits(self, relation: Relation, sentence: Sentence) -> bool:
        prop = relation.property
        return prop is None or self.judge is None or self.judge.fits(prop, relation.value, sentence.text)

    def _merge(
        self,
        sentence: Sentence,
        mentions: Sequence[Mention],
        rules: Sequence[Relation],
        by_value: dict[Mention, list[Relation]],
    ) -> list[Relation]:
        out: list[Relation] = []
        ruled: dict[Mention, list[Relation]] = {}
        for r in rules:
            ruled.setdefault(r.value, []).append(r)
        for value in (m for m in mentions if m.label == "VALUE"):
            from_rules = ruled.get(value, [])
            found = by_value.get(value, [])
            single = found[0] if len(found) == 1 and found[0].value_index is None else None
            if len(from_rules) > 1 or any(r.value_index is not None for r in from_rules):
                out.extend(from_rules)  # a "respectively" list: the rules zip it
            elif from_rules:
                rule = from_rules[0]
                if single is not None and single.compound != rule.compound and rule.score < SURE and self._fits(
                        single, sentence):
                    out.append(replace(single, property=single.property or rule.property))
                    continue
                agrees = single is not None and single.compound == rule.compound
                factor = 1.0 if agrees else DISAGREE if found else UNLINKED
                prop = rule.property
                if (prop is None and agrees and self._fits(single, sentence) and _within(single, sentence)
                        and not names_unknown_property(sentence, mentions, value, symbols_only=True)):
                    prop = single.property
                conditions = tuple(dict.fromkeys(rule.conditions + (single.conditions if agrees else ())))
                out.append(replace(rule, property=prop, conditions=conditions, score=rule.score * factor))
            else:
                out.extend(r for r in found if r.score >= ADD_MIN and self._fits(r, sentence) and _within(r, sentence)
                           and (r.property is None or not names_unknown_property(sentence, mentions, value, symbols_only=True)))
        return out


def _within(relation: Relation, sentence: Sentence) -> bool:
    """The relation's property (if any) is named in ``sentence``."""
    prop = relation.property
    return prop is None or sentence.start <= prop.start < sentence.end
