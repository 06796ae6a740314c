"""The sentence path (NER model -> linker -> facts) through the batch runner on corpora/sample.

Runs only when a trained model exists in ``models/trained`` (``ner-*``). Checks what the batch
layer is responsible for: sentence facts reach the facts file and the graph; worker processes
give exactly the facts of the in-process run (per-document batching keeps NER deterministic
whatever the scheduling); and a resumed run ends with those same facts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lit.errors import ModelError
from lit.extract.batch import run_batch
from lit.graph.store import open_store
from tests.batch_corpus import read_facts


@pytest.fixture(scope="module")
def trained_model() -> Path:
    from lit.models.bundle import default_artifact

    try:
        return default_artifact("ner")
    except ModelError:
        pytest.skip("the default NER model is not in models/trained")


def _by_id(facts: list[dict]) -> dict[str, str]:
    return {f["id"]: json.dumps(f, sort_keys=True) for f in facts}


@pytest.mark.slow  # ~95 s here: three runs, two of them starting worker processes that load the model
def test_batch_sample_ner_sentence_facts_same_in_workers_and_resume(
    trained_model: Path, sample_dir: Path, tmp_path: Path
) -> None:
    from lit.extract.workers import model_versions

    single = run_batch([sample_dir], tmp_path / "single.jsonl", str(tmp_path / "graph"), model=trained_model)
    facts = read_facts(tmp_path / "single.jsonl")
    sentence_model = model_versions(trained_model)[0]
    assert sentence_model.startswith("ner-" + json.loads((trained_model / "config.json").read_text())["version"])
    sentence_facts = [f for f in facts if f["model"] == sentence_model]
    assert sentence_facts, "the NER path produced no sentence facts on the sample corpus"
    assert {f["source"] for f in sentence_facts} >= {str(sample_dir / "halide_perovskites.txt")}
    assert single.models == sorted(model_versions(trained_model))
    with open_store(str(tmp_path / "graph"), read_only=True) as store:
        stored = store.query("MATCH (m:Measurement) WHERE m.model = $m RETURN count(m) AS n", {"m": sentence_model})
    assert stored == [{"n": len(sentence_facts)}]

    pooled = run_batch([sample_dir], tmp_path / "pooled.jsonl", None, model=trained_model, workers=2)
    assert _by_id(read_facts(tmp_path / "pooled.jsonl")) == _by_id(facts)
    assert pooled.facts == single.facts

    # interrupted after two documents: the resume extracts the rest with the same model
    journal = tmp_path / "pooled.jsonl.journal"
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:3]))
    resumed = run_batch([sample_dir], tmp_path / "pooled.jsonl", None, model=trained_model, workers=2)
    assert resumed.resumed == 2
    assert _by_id(read_facts(tmp_path / "pooled.jsonl")) == _by_id(facts)
