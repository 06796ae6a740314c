"""Calibrated confidence for the facts the pipeline writes (``lit train confidence``).

A fact's raw confidence is the product of its relation's score and its mentions' scores
(:mod:`lit.extract.assemble`): ordered, but not a probability. A researcher filtering with
``--min-confidence 0.8`` expects about 80 % of what passes to be right, so the raw score is
mapped through a logistic fit (Platt scaling, with five kinds of evidence beside the raw
score, see :class:`FactCalibration`): ``confidence = sigmoid(a * logit(raw) + b + ...)``.

A calibrated confidence also gives the default output its threshold, the *operating point*:
``lit extract`` leaves out the facts below it unless told otherwise (``--min-confidence``).
It is chosen on the same dev facts: the lowest threshold that (nearly) maximises the mean
over the sets of F0.5, the F-measure that weighs precision twice as much as recall (a graph
mined for training data is worth its precision, and a fact left out costs less than a wrong
one written).

What it is fitted on: the sentence facts the pipeline writes on the dev splits of the
third-party fact benchmarks (:mod:`lit.models.benchmark`: the real-text abstracts, SOFC-Exp,
PolyIE), pooled, each fact judged by the benchmark's strict rule (right = matched one to one
with a gold fact). Facts of properties a set's gold does not cover and repeats are not
judged; the silver battery set, whose gold is incomplete, is left out. A curve fitted on one
corpus (PolyIE, as conf-v1 was) promised 80 % where abstracts gave far less; pooled, it is
one curve for all of them, and the card shows per set how far that holds, on dev and on the
test splits it never saw.

The calibration is tied to the models it was fitted on (``fitted_for``, the pipeline's
sentence-model string); :meth:`FactCalibration.applies_to` keeps a newer NER or relation
model, or changed rules, from being scored with an old curve.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from lit.errors import LitError, ModelError
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
    from lit.extract.state import DocState
    from lit.models.benchmark.gold import BenchSet, BenchText

__all__ = ["PREFIX", "FactCalibration", "default_calibration", "Floors", "evidence", "rival_counts", "judge",
           "collect", "operating_point", "release"]

#: Artifacts live in ``models/trained/conf-<version>/calibration.json``.
PREFIX = "conf-"
FILE = "calibration.json"
#: ``a, b`` of the identity map: the fit starts there and is pulled towards it.
IDENTITY = (1.0, 0.0)
#: The F-measure's beta for the operating point (0.5: precision counts twice as much as recall).
BETA = 0.5
#: Thresholds the operating point is chosen from (a coarse grid: a few hundred dev facts
#: cannot tell 0.26 from 0.25 apart).
GRID = tuple(round(0.05 * i, 2) for i in range(15))
#: Mean F0.5 this close to the best counts as the best: the curve is flat near its top, and
#: a few hundred dev facts cannot rank thresholds closer than that (about one fact in a
#: hundred), so the lowest of them keeps the most facts for the same score.
PLATEAU = 0.01
#: Strength of that pull (5-fold cross-validated on PolyIE validation, see the card: 0.01 and 1
#: score alike, 10 worse; 1 keeps a small sample from bending the map far).
L2 = 1.0


@dataclass(frozen=True, slots=True)
class FactCalibration:
    """``sigmoid(a * logit(raw) + b + formula * [the compound is a formula] + own_sentence *
    [the compound is named in the fact's sentence] + value_range * [the value is a range] +
    distance * [characters between compound and value] / 100 + rivals * [other compounds named
    so far] / 3)``, fitted for one combination of models, with the operating point
    ``min_confidence`` chosen on the same facts.

    The indicators are evidence the raw score does not carry: a formula is an unambiguous
    name (a polymer acronym or a common noun is often the wrong entity); a compound carried
    over from an earlier sentence is a guess about an anaphor; a range is often a summary
    over a class of materials ("band gaps of the copolymers are 1.71-2.00 eV") rather than
    one compound's value; the farther a compound is from its value, the more other
    candidates lie between them; and the more other compounds the document has named up to
    the fact's sentence, the more ways there were to pick the wrong one (an abstract about one
    material carries it over safely, a paper comparing twenty does not). Without them one
    curve serves abstracts and full papers alike and promises each the other's precision.
    The distance counts at most :data:`FAR` characters, and only within the sentence (a
    compound from another sentence has ``own_sentence`` 0 instead)."""

    version: str
    fitted_for: str
    a: float = 1.0
    b: float = 0.0
    formula: float = 0.0
    own_sentence: float = 0.0
    value_range: float = 0.0
    distance: float = 0.0
    rivals: float = 0.0
    min_confidence: float = 0.0

    @property
    def tag(self) -> str:
        """What the pipeline appends to its model string when it applies this calibration."""
        return f"{PREFIX}{self.version}"

    def applies_to(self, sentence_model: str) -> bool:
        return sentence_model == self.fitted_for

    def __call__(self, raw: float, fact: "Fact | None" = None, rivals: int = 0) -> float:
        """The calibrated confidence of a fact with raw confidence ``raw`` (``fact`` and the
        count of its ``rivals`` give the evidence; without a fact every indicator counts as
        absent and the distance as none)."""
        if fact is None:
            return self.of(raw, *(0.0,) * len(EVIDENCE))
        return self.of(raw, *evidence(fact, rivals))

    def of(self, raw: float, formula: float, own_sentence: float, value_range: float, distance: float,
           rivals: float) -> float:
        z = (self.a * logit(raw) + self.b + self.formula * formula + self.own_sentence * own_sentence
             + self.value_range * value_range + self.distance * distance + self.rivals * rivals)
        return round(sigmoid(z), 4)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def load(cls, path: str | Path) -> "FactCalibration":
        file = Path(path) / FILE if Path(path).is_dir() else Path(path)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            return cls(**{k: data[k] for k in ("version", "fitted_for", "a", "b")},
                       **{k: data.get(k, 0.0) for k in EVIDENCE + ("min_confidence",)})
        except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ModelError(f"{file}: not a fact calibration ({exc})") from exc


def default_calibration() -> FactCalibration:
    """The fact calibration of the default model bundle (:mod:`lit.models.bundle`)."""
    from lit.models.bundle import default_artifact

    return FactCalibration.load(default_artifact("confidence") / FILE)


#: Sets fitted on (dev) and checked on (test): every third-party set with complete gold.
SETS: tuple[str, ...] = ("realtext", "sofc_exp", "polyie")
#: The threshold users are told to filter at; the card reports precision above it per set.
THRESHOLD = 0.8


#: The evidence :class:`FactCalibration` weighs beside the raw score, in :func:`evidence`'s order.
EVIDENCE: tuple[str, ...] = ("formula", "own_sentence", "value_range", "distance", "rivals")
#: Characters between compound and value beyond which the distance counts no more.
FAR = 200
#: Other compounds named before a fact beyond which they count no more.
CROWD = 3


def evidence(fact: "Fact", rivals: int = 0) -> tuple[float, float, float, float, float]:
    """:data:`EVIDENCE` of one fact, given how many other compounds were named up to its
    sentence (:func:`rival_counts`): the distance in hundreds of characters (0 for a compound
    named outside the fact's sentence), the rivals as a fraction of :data:`CROWD`."""
    own = fact.compound_start is not None and fact.start <= fact.compound_start < fact.end
    far = min(abs(fact.value_start - fact.compound_start), FAR) if own and fact.value_start is not None else 0
    return (1.0 if fact.formula else 0.0, 1.0 if own else 0.0,
            1.0 if fact.value_max is not None else 0.0, far / 100, min(rivals, CROWD) / CROWD)


def _name(text: str) -> str:
    return "".join(text.split()).casefold()


def rival_counts(state: "DocState") -> Callable[["Fact"], int]:
    """For a document's state after the materials filter: a function giving, for each fact,
    how many compounds other than its own the document names up to the end of the fact's
    sentence (names compared without spaces or case)."""
    named = [(sentence.end, _name(state.doc.text[m.start:m.end]))
             for sentence, found in zip(state.sentences, state.mentions) for m in found if m.label == "COMPOUND"]

    def count(fact: "Fact") -> int:
        return len({name for end, name in named if end <= fact.end} - {_name(fact.compound)})

    return count


#: One judged fact as the fit sees it: raw confidence, then :func:`evidence`.
Evidence = tuple[float, float, float, float, float, float]


def judge(text: "BenchText", facts: Sequence["Fact"], bench: "BenchSet", sentence_model: str,
          vocab: "PropertyVocabulary", rivals: Callable[["Fact"], int] = lambda _: 0) -> list[tuple[Evidence, bool]]:
    """``((raw confidence, *evidence), right)`` of each judged sentence fact of one benchmark
    text (``rivals``: :func:`rival_counts` of its state)."""
    from lit.models.benchmark.score import Pred, score_text

    preds = [Pred.of_fact(f, bench, vocab) for f in facts]
    fact_of = {id(p): f for p, f in zip(preds, facts)}
    scored = score_text(text, preds, bench.properties)
    judged = [(fact_of[id(p)], True) for p, _ in scored.matched] + [(fact_of[id(p)], False) for p in scored.false_positives]
    return [((f.confidence, *evidence(f, rivals(f))), ok) for f, ok in judged if f.model == sentence_model]


def collect(
    extractor: "Extractor", sets: Sequence[str], split: str, limit: int | None = None
) -> dict[str, tuple[list[Evidence], list[bool], dict[str, int]]]:
    """Per set: the evidence and right/wrong of the judged sentence facts, with counts.

    The extractor's own calibration, if any, is switched off: the fit needs raw scores.
    """
    from lit.models.benchmark import load_set
    from lit.models.benchmark.run import GROUP

    saved, extractor.confidence = extractor.confidence, None
    out: dict[str, tuple[list[Evidence], list[bool], dict[str, int]]] = {}
    try:
        for name in sets:
            bench = load_set(name, split)
            texts = bench.texts[: limit or None]
            scores: list[Evidence] = []
            right: list[bool] = []
            facts = 0
            for i in range(0, len(texts), GROUP):
                group = texts[i : i + GROUP]
                for text, state in zip(group, extractor.analyse([t.doc for t in group])):
                    facts += len(state.facts)
                    for score, ok in judge(text, state.facts, bench, extractor.sentence_model, extractor.vocab,
                                           rival_counts(state)):
                        scores.append(score)
                        right.append(ok)
            gold = sum(len(t.facts) for t in texts)
            out[name] = (scores, right, {"texts": len(texts), "gold": gold, "facts": facts, "judged": len(right),
                                         "right": sum(right)})
    finally:
        extractor.confidence = saved
    return out


def _summary(found: Sequence[Evidence], right: Sequence[bool], calibration: FactCalibration) -> dict[str, Any]:
    scores = [e[0] for e in found]
    mapped = [calibration.of(*e) for e in found]
    raw, cal = reliability(scores, right), reliability(mapped, right)
    out: dict[str, Any] = {"raw": raw, "calibrated": cal}
    for name, values, table in (("raw", scores, raw), ("calibrated", mapped, cal)):
        out[f"ece_{name}"] = expected_calibration_error(table)
        out.update({f"{k}_{name}": v for k, v in proper_scores(values, right).items()})
    kept = [ok for m, ok in zip(mapped, right) if m >= THRESHOLD]
    out["kept_at_threshold"] = len(kept)
    out["precision_at_threshold"] = round(sum(kept) / len(kept), 4) if kept else None
    out["precision_all"] = round(sum(right) / len(right), 4) if right else None
    kept = [ok for m, ok in zip(mapped, right) if m >= calibration.min_confidence]
    out["kept_at_operating_point"] = len(kept)
    out["right_at_operating_point"] = sum(kept)
    return out


def _f_beta(right: int, kept: int, gold: int) -> float:
    if not right:
        return 0.0
    p, r = right / kept, right / gold
    return (1 + BETA**2) * p * r / (BETA**2 * p + r)


def operating_point(collected: dict[str, tuple[list[Evidence], list[bool], dict[str, int]]],
                    calibration: FactCalibration) -> float:
    """The lowest threshold of :data:`GRID` whose mean over the sets of F0.5 (recall against
    each set's gold facts) is within :data:`PLATEAU` of the highest: see the module docstring."""
    mapped = {name: [(calibration.of(*e), ok) for e, ok in zip(scores, right)]
              for name, (scores, right, _) in collected.items()}

    def mean_f(threshold: float) -> float:
        scores = []
        for name, pairs in mapped.items():
            kept = [ok for m, ok in pairs if m >= threshold]
            scores.append(_f_beta(sum(kept), len(kept), collected[name][2]["gold"]))
        return sum(scores) / len(scores)

    scores = {t: mean_f(t) for t in GRID}
    best = max(scores.values())
    return min(t for t, f in scores.items() if f >= best - PLATEAU)


@dataclass(frozen=True)
class Floors:
    """The confidence a fact needs to be written: ``by_model[fact.model]`` where its model
    string has one, else ``other``."""

    by_model: dict[str, float]
    other: float = 0.0

    @classmethod
    def of(cls, min_confidence: float | None, models: Iterable[str]) -> "Floors":
        """``min_confidence`` for every fact; None: the default output, i.e. the operating
        point of the bundle's calibration for the model strings that say they were calibrated
        with it, and nothing for any other (a raw score has no operating point; table facts
        are not calibrated)."""
        if min_confidence is not None:
            return cls({}, min_confidence)
        try:
            calibration = default_calibration()
        except LitError:
            return cls({})
        return cls({m: calibration.min_confidence for m in models if m.endswith(f"+{calibration.tag}")})

    def keeps(self, fact: "Fact") -> bool:
        return fact.confidence >= self.by_model.get(fact.model, self.other)


def release(
    extractor: "Extractor",
    out: Path,
    version: str = "v2",
    sets: Sequence[str] = SETS,
    split: str = "dev",
    check: str | None = "test",
    limit: int | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Fit on ``sets``/``split`` pooled, report per set there and on ``check`` (never fitted
    on), write the artifact and its card."""
    started = time.monotonic()
    log(f"collecting {','.join(sets)} {split} facts with {extractor.sentence_model}")
    fitted = collect(extractor, sets, split, limit)
    scores = [s for name in sets for s in fitted[name][0]]
    right = [r for name in sets for r in fitted[name][1]]
    none = (0.0,) * len(EVIDENCE)
    a, b, *weights = fit_logistic(
        [[logit(raw), 1.0, *more] for raw, *more in scores], [float(r) for r in right],
        start=(*IDENTITY, *none), l2=L2, prior=(*IDENTITY, *none),
    )
    base = extractor.sentence_model.removesuffix(f"+{extractor.confidence.tag}" if extractor.confidence else "")
    calibration = FactCalibration(version, base, a, b, *weights)
    calibration = replace(calibration, min_confidence=operating_point(fitted, calibration))
    report: dict[str, Any] = {
        **calibration.to_dict(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "fitted_on": _parts(fitted, split, calibration),
    }
    if check:
        log(f"checking on {','.join(sets)} {check}")
        report["checked_on"] = _parts(collect(extractor, sets, check, limit), check, calibration)
    report["seconds"] = round(time.monotonic() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    (out / FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_card(report), encoding="utf-8")
    return report


def _parts(collected: dict[str, tuple[list[Evidence], list[bool], dict[str, int]]], split: str,
           calibration: FactCalibration) -> dict[str, Any]:
    """Each set's summary, then all of them pooled (``"pooled"``)."""
    parts: dict[str, Any] = {}
    for name, (scores, right, counts) in collected.items():
        parts[name] = {"set": name, "split": split, **counts, **_summary(scores, right, calibration)}
    scores = [s for v in collected.values() for s in v[0]]
    right = [r for v in collected.values() for r in v[1]]
    counts = {k: sum(v[2][k] for v in collected.values()) for k in ("texts", "gold", "facts", "judged", "right")}
    parts["pooled"] = {"set": "pooled", "split": split, **counts, **_summary(scores, right, calibration)}
    return parts


def _section(title: str, part: dict[str, Any]) -> list[str]:
    return [
        f"### {title}: {part['set']} {part['split']}",
        "",
        f"{part['texts']} texts, {part['facts']} facts written, {part['judged']} judged sentence facts, "
        f"{part['right']} of those right; at calibrated confidence >= {THRESHOLD}: {part['kept_at_threshold']} "
        f"facts, precision {part['precision_at_threshold']}.",
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
    ]


def _overview(report: dict[str, Any]) -> list[str]:
    """One row per set and split: what ``--min-confidence 0.8`` keeps and how often it is right."""
    lines = [f"| split | set | judged facts | right (all) | kept at >= {THRESHOLD} | right among kept |", "|---|---|---|---|---|---|"]
    for key in ("fitted_on", "checked_on"):
        for name, part in report.get(key, {}).items():
            kept = part["precision_at_threshold"]
            lines.append(f"| {part['split']} | {name} | {part['judged']} | {part['precision_all']} | "
                         f"{part['kept_at_threshold']} | {'–' if kept is None else kept} |")
    return lines


def _default_output(report: dict[str, Any]) -> list[str]:
    """One row per set and split: what the default output (the operating point) keeps, with
    precision and recall of the judged sentence facts against the set's gold."""
    lines = ["| split | set | gold facts | judged facts | kept | precision kept | recall kept | recall of all |",
             "|---|---|---|---|---|---|---|---|"]
    for key in ("fitted_on", "checked_on"):
        for name, part in report.get(key, {}).items():
            kept, right, gold = part["kept_at_operating_point"], part["right_at_operating_point"], part["gold"]
            lines.append(f"| {part['split']} | {name} | {gold} | {part['judged']} | {kept} | "
                         f"{round(right / kept, 4) if kept else '–'} | {round(right / gold, 4) if gold else '–'} | "
                         f"{round(part['right'] / gold, 4) if gold else '–'} |")
    return lines


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
        f"`confidence = sigmoid({report['a']} * logit(raw) {'-' if report['b'] < 0 else '+'} {abs(report['b'])}"
        f" {_signed(report['formula'])} * formula {_signed(report['own_sentence'])} * own_sentence"
        f" {_signed(report['value_range'])} * value_range {_signed(report['distance'])} * distance"
        f" {_signed(report['rivals'])} * rivals)` "
        "(formula: the compound is a formula; own_sentence: it is named in the fact's sentence; value_range: the value",
        f"is a range; distance: characters from compound to value / 100, at most {FAR / 100}; rivals: other compounds",
        f"the document names up to the fact's sentence / {CROWD}, at most 1), applied only with the models",
        f"it was fitted for (`{report['fitted_for']}`). Fitted with `lit train confidence` on the dev splits of",
        "the third-party fact benchmarks, pooled, each fact judged by the benchmark's strict rule",
        "(`models/fact_confidence.py`, `models/benchmark/`). Table facts are not calibrated.",
        "",
        f"## Default output: the operating point {report['min_confidence']}",
        "",
        f"`lit extract` leaves out facts below {report['min_confidence']} unless `--min-confidence` says otherwise:",
        f"the threshold with the highest mean F{BETA} over the dev sets (precision weighted above recall).",
        "What it keeps of the judged sentence facts, per set:",
        "",
        *_default_output(report),
        "",
        "## Reliability at the threshold users filter at, per set",
        "",
        *_overview(report),
        "",
        "One curve cannot make every set reach the same precision at one threshold: a set whose facts",
        "are mostly wrong at every raw score stays below it. The rows above say where it holds.",
        "",
        "## Per set",
        "",
    ]
    for key, title in (("fitted_on", "Fitted on"), ("checked_on", "Checked on (held out, never fitted on)")):
        for part in report.get(key, {}).values():
            lines += _section(title, part)
    return "\n".join(lines)


def _signed(weight: float) -> str:
    return f"{'-' if weight < 0 else '+'} {abs(weight)}"
