"""Calibrated confidence for the facts the pipeline writes (``lit train confidence``).

A fact's raw confidence is the product of its relation's score and its mentions' scores
(:mod:`lit.extract.assemble`): ordered, but not a probability. A researcher filtering with
``--min-confidence 0.8`` expects about 80 % of what passes to be right, so the raw score is
mapped through a logistic fit (Platt scaling) learned on the PolyIE validation split:
``confidence = sigmoid(a * logit(raw) + b)``.

Which facts can be judged. PolyIE marks every value mention, but links only some of them
into (compound, property, value) tuples; a value with no tuple may have no named compound,
or may simply not have been linked by the annotators. A fact is therefore judged only when
its value overlaps a gold value that belongs to a gold tuple; it is right when one of those
tuples has a compound that overlaps the fact's compound span or has the same normalised key
(an abbreviation resolved to its full name still counts) and a property that names the
fact's property (same canonical name in the vocabulary, or the same words). Facts on
unlinked or unmarked values are counted in the card, not used: the fit assumes a judged
fact is as likely to be right as an unjudged one with the same raw score.

The calibration is tied to the models it was fitted on (``fitted_for``, the pipeline's
sentence-model string); :meth:`FactCalibration.applies_to` keeps a newer NER or relation
model from being scored with an old curve.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from lit.errors import ModelError
from lit.models.calibration import (
    expected_calibration_error,
    fit_logistic,
    logit,
    proper_scores,
    reliability,
    reliability_markdown,
    sigmoid,
)

if TYPE_CHECKING:
    from lit.extract.facts import Fact
    from lit.extract.normalize.properties import PropertyVocabulary
    from lit.extract.pipeline import Extractor
    from lit.models.corpus import Example

__all__ = ["PREFIX", "FactCalibration", "default_calibration", "judge_facts", "collect", "release"]

#: Artifacts live in ``models/trained/conf-<version>/calibration.json``.
PREFIX = "conf-"
FILE = "calibration.json"
#: ``a, b`` of the identity map: the fit starts there and is pulled towards it.
IDENTITY = (1.0, 0.0)
#: Strength of that pull (5-fold cross-validated on PolyIE validation, see the card: 0.01 and 1
#: score alike, 10 worse; 1 keeps a small sample from bending the map far).
L2 = 1.0


@dataclass(frozen=True, slots=True)
class FactCalibration:
    """``sigmoid(a * logit(raw) + b)``, fitted for one combination of models."""

    version: str
    fitted_for: str
    a: float = 1.0
    b: float = 0.0

    @property
    def tag(self) -> str:
        """What the pipeline appends to its model string when it applies this calibration."""
        return f"{PREFIX}{self.version}"

    def applies_to(self, sentence_model: str) -> bool:
        return sentence_model == self.fitted_for

    def __call__(self, raw: float) -> float:
        return round(sigmoid(self.a * logit(raw) + self.b), 4)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def load(cls, path: str | Path) -> "FactCalibration":
        file = Path(path) / FILE if Path(path).is_dir() else Path(path)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            return cls(**{k: data[k] for k in ("version", "fitted_for", "a", "b")})
        except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ModelError(f"{file}: not a fact calibration ({exc})") from exc


def default_calibration() -> FactCalibration:
    """The fact calibration of the default model bundle (:mod:`lit.models.bundle`)."""
    from lit.models.bundle import default_artifact

    return FactCalibration.load(default_artifact("confidence") / FILE)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def judge_facts(example: "Example", facts: Sequence["Fact"], vocab: "PropertyVocabulary") -> list[bool | None]:
    """For each fact: right (True), wrong (False) or not judgeable (None) against the gold tuples."""
    from lit.extract.normalize.compounds import normalize_compound

    text, spans = example.text, [(e.start, e.end, e.label) for e in example.entities]
    tuples = [t for t in example.tuples if t[2] is not None and spans[t[2]][2] == "VALUE"]

    def key(start: int, end: int) -> str:
        found = normalize_compound(text[start:end])
        return found.key if found is not None else text[start:end]

    def names(fact: "Fact", p: int | None) -> bool:
        if p is None:
            return False
        words = text[spans[p][0] : spans[p][1]]
        match = vocab.match(words, words)
        same_words = (fact.property_text or "").strip().lower() == words.strip().lower()
        return same_words or (match is not None and match.name == fact.property)

    out: list[bool | None] = []
    for fact in facts:
        value = (fact.value_start, fact.value_end)
        linked = [t for t in tuples if _overlaps(value, spans[t[2]][:2])] if fact.value_start is not None else []
        if not linked:
            out.append(None)
            continue
        compound = (fact.compound_start, fact.compound_end)
        out.append(
            any(
                t[0] is not None
                and (_overlaps(compound, spans[t[0]][:2]) or key(*spans[t[0]][:2]) == fact.compound_key)
                and names(fact, t[1])
                for t in linked
            )
        )
    return out


def collect(
    extractor: "Extractor", corpus: str, split: str, limit: int | None = None
) -> tuple[list[float], list[bool], dict[str, int]]:
    """Raw confidences and right/wrong of the judged sentence facts on a split, with counts.

    The extractor's own calibration, if any, is switched off: the fit needs raw scores.
    """
    from lit.extract.document import paragraph_document
    from lit.models.corpora import load_examples

    saved, extractor.confidence = extractor.confidence, None
    scores: list[float] = []
    right: list[bool] = []
    counts = {"paragraphs": 0, "facts": 0, "judged": 0, "right": 0}
    try:
        for example in load_examples(corpus, split)[: limit or None]:
            facts, _ = extractor.extract(paragraph_document(example.text, example.id))
            counts["paragraphs"] += 1
            counts["facts"] += len(facts)
            for fact, ok in zip(facts, judge_facts(example, facts, extractor.vocab)):
                if ok is not None:
                    scores.append(fact.confidence)
                    right.append(ok)
    finally:
        extractor.confidence = saved
    counts["judged"], counts["right"] = len(right), sum(right)
    return scores, right, counts


def _summary(scores: Sequence[float], right: Sequence[bool], calibration: FactCalibration) -> dict[str, Any]:
    mapped = [calibration(s) for s in scores]
    raw, cal = reliability(scores, right), reliability(mapped, right)
    out: dict[str, Any] = {"raw": raw, "calibrated": cal}
    for name, values, table in (("raw", scores, raw), ("calibrated", mapped, cal)):
        out[f"ece_{name}"] = expected_calibration_error(table)
        out.update({f"{k}_{name}": v for k, v in proper_scores(values, right).items()})
    return out


def release(
    extractor: "Extractor",
    out: Path,
    version: str = "v1",
    corpus: str = "polyie",
    split: str = "validation",
    check: str | None = "test",
    limit: int | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Fit on ``corpus``/``split``, report on ``check`` (never fitted on), write the artifact and its card."""
    started = time.monotonic()
    log(f"collecting {corpus}/{split} facts with {extractor.sentence_model}")
    scores, right, counts = collect(extractor, corpus, split, limit)
    a, b = fit_logistic(
        [[logit(s), 1.0] for s in scores], [float(r) for r in right], start=IDENTITY, l2=L2, prior=IDENTITY
    )
    base = extractor.sentence_model.removesuffix(f"+{extractor.confidence.tag}" if extractor.confidence else "")
    calibration = FactCalibration(version, base, a, b)
    report: dict[str, Any] = {
        **calibration.to_dict(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "fitted_on": {"corpus": corpus, "split": split, **counts, **_summary(scores, right, calibration)},
    }
    if check:
        log(f"checking on {corpus}/{check}")
        cs, cr, cc = collect(extractor, corpus, check, limit)
        report["checked_on"] = {"corpus": corpus, "split": check, **cc, **_summary(cs, cr, calibration)}
    report["seconds"] = round(time.monotonic() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    (out / FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_card(report), encoding="utf-8")
    return report


def _section(title: str, part: dict[str, Any]) -> list[str]:
    return [
        f"## {title}: {part['corpus']} {part['split']}",
        "",
        f"{part['paragraphs']} paragraphs, {part['facts']} sentence facts written, {part['judged']} judgeable "
        f"(value in a gold tuple), {part['right']} of those right.",
        "",
        "| | Brier | log-loss | expected calibration error (10 bins) |",
        "|---|---|---|---|",
        *(
            f"| {name} | {part[f'brier_{name}']} | {part[f'log_loss_{name}']} | {part[f'ece_{name}']} |"
            for name in ("raw", "calibrated")
        ),
        "",
        "Calibrated:",
        "",
        *reliability_markdown(part["calibrated"], "facts"),
        "",
        "Raw (before calibration):",
        "",
        *reliability_markdown(part["raw"], "facts"),
        "",
    ]


def _card(report: dict[str, Any]) -> str:
    lines = [
        "---",
        f"version: {report['version']}",
        f"fitted_for: {report['fitted_for']}",
        f"created: {report['created']}",
        "---",
        "",
        f"# Fact confidence calibration {report['version']}",
        "",
        "Maps the pipeline's raw fact confidence to the probability that the fact is right:",
        f"`confidence = sigmoid({report['a']} * logit(raw) {'-' if report['b'] < 0 else '+'} {abs(report['b'])})`, "
        "applied only with the models",
        f"it was fitted for (`{report['fitted_for']}`). Fitted with `lit train confidence`;",
        "how facts are judged is in `models/fact_confidence.py`. Table facts are not calibrated.",
        "",
        "The raw scores were already close to calibrated; the fit mainly spreads them (a > 1). On a",
        "few hundred judged facts the binned error moves by a few points with the binning, so the",
        "choice was made on proper scores, out of fold (5-fold cross-validation on validation):",
        "log-loss / Brier raw 0.4967 / 0.1631; this fit (L2 pull 1.0 towards the identity) 0.4831 / 0.1576;",
        "pull 0.01: 0.4829 / 0.1574; pull 10: 0.4886 / 0.1600; an isotonic (PAV) map 0.5149 / 0.1680.",
        "",
        *_section("Fitted on", report["fitted_on"]),
    ]
    if "checked_on" in report:
        lines += _section("Checked on (held out, never fitted on)", report["checked_on"])
    return "\n".join(lines)
