"""``lit extract --ray local``: the same facts as the single-process run on the sample corpus.

Ray takes 10-30 s to start on this machine (the test ~40 s), so this is the one Ray test, opt-in
with ``-m slow``: two actors, two CPUs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lit.extract.batch import run_batch
from tests.batch_corpus import read_facts, require_html_reader


@pytest.mark.slow
def test_distributed_ray_local_gives_single_process_facts(sample_dir: Path, tmp_path: Path, monkeypatch) -> None:
    require_html_reader()
    pytest.importorskip("ray")
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    single = run_batch([sample_dir], tmp_path / "single.jsonl", None)
    on_ray = run_batch([sample_dir], tmp_path / "ray.jsonl", str(tmp_path / "graph"), workers=2, ray="local")
    single_facts, ray_facts = read_facts(tmp_path / "single.jsonl"), read_facts(tmp_path / "ray.jsonl")
    assert single_facts, "the sample corpus states facts; none were extracted"
    assert {f["id"] for f in ray_facts} == {f["id"] for f in single_facts}
    assert len(ray_facts) == len(single_facts)
    assert (on_ray.succeeded, on_ray.facts, on_ray.models) == (single.succeeded, single.facts, single.models)
    assert sorted(f["source"] for f in on_ray.failures) == sorted(f["source"] for f in single.failures)
    journal = [json.loads(x) for x in (tmp_path / "ray.jsonl.journal").read_text().splitlines()]
    assert journal[-1]["finished"] and journal[-1]["documents"] == len(list(sample_dir.iterdir()))
    import ray

    assert not ray.is_initialized()  # the private local instance was shut down
