"""``Extractor.extract_paths``: a group of documents with one NER call over all their sentences
gives exactly the facts (and failures) of the same documents extracted one by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lit.errors import ModelError
from lit.extract.pipeline import DocumentResult, Extractor

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    try:
        return Extractor.load(require_model=True)
    except ModelError:
        pytest.skip("no trained NER model in models/trained yet")


def _facts(results: list[DocumentResult]) -> list[str]:
    return sorted(f.to_json() for r in results for f in r.facts)


def _same_as_one_by_one(extractor: Extractor, paths: list[str], group: int) -> list[DocumentResult]:
    alone = [extractor.extract_path(p) for p in paths]
    grouped: list[DocumentResult] = []
    for start in range(0, len(paths), group):
        grouped += extractor.extract_paths(paths[start : start + group])
    assert [r.source for r in grouped] == paths  # one result per path, in order
    assert [(r.ok, r.error, r.sentences) for r in grouped] == [(r.ok, r.error, r.sentences) for r in alone]
    assert [r.info for r in grouped] == [r.info for r in alone]
    assert _facts(grouped) == _facts(alone)  # every field, confidences included
    return grouped


def _abstracts(corpora: Path, folder: Path, n: int) -> list[str]:
    """``n`` real materials-science abstracts (the NERRE general-materials set) as .txt files."""
    source = corpora / "nerre_dagdelen" / "general_and_mofs" / "data" / "general_materials_information_annotations.jsonl"
    if not source.is_file():
        pytest.skip(f"{source} not found (set LIT_CORPORA)")
    folder.mkdir()
    paths = []
    with open(source, encoding="utf-8") as fh:
        for i, line in zip(range(n), fh):
            path = folder / f"abstract{i:04d}.txt"
            path.write_text(json.loads(line)["prompt"].split("\n\n###")[0] + "\n", encoding="utf-8")
            paths.append(str(path))
    return paths


def test_pipeline_batched_sample_corpus_same_facts_as_one_by_one(extractor: Extractor, sample_dir: Path) -> None:
    """A document's facts, every field as written, are the same alone, in one group of all
    and in pairs (other batch partners, so on some CPUs other float noise): lit's promise."""
    paths = sorted(str(p) for p in sample_dir.iterdir())
    grouped = _same_as_one_by_one(extractor, paths, group=len(paths))
    _same_as_one_by_one(extractor, paths[::-1], group=2)
    assert all(r.ok for r in grouped)
    assert any(f.model == extractor.sentence_model for r in grouped for f in r.facts)


def test_pipeline_batched_real_text_same_facts_alone_and_in_groups(extractor: Extractor) -> None:
    """The real-text dev set (abstracts of papers, built in memory) with the full models: each
    document alone (a batch of one), all in one batch and in groups of three give the same
    facts, every field, and the same sentence counts."""
    from lit.models.benchmark import realtext

    docs = [t.doc for t in realtext.load("dev").texts]
    alone = [extractor.extract_documents([d])[0] for d in docs]
    one_call = [extractor.extract(d) for d in docs]
    for group in (len(docs), 3):
        grouped = [r for i in range(0, len(docs), group) for r in extractor.extract_documents(docs[i : i + group])]
        assert [(r.source, r.ok, r.sentences) for r in grouped] == [(r.source, r.ok, r.sentences) for r in alone]
        assert [sorted(f.to_json() for f in r.facts) for r in grouped] == [sorted(f.to_json() for f in r.facts)
                                                                          for r in alone]
    assert [sorted(f.to_json() for f in facts) for facts, _ in one_call] == [sorted(f.to_json() for f in r.facts)
                                                                          for r in alone]
    assert all(r.ok for r in alone) and sum(len(r.facts) for r in alone) >= 10


def test_pipeline_batched_states_hold_document_spans(extractor: Extractor, sample_dir: Path) -> None:
    """``Extractor.analyse`` gives each document's whole state from one run: every mention and
    relation in document offsets, and the facts ``extract_path`` writes."""
    from lit.extract.readers import read_document

    paths = sorted(str(p) for p in sample_dir.iterdir())
    states = extractor.analyse([read_document(p) for p in paths])
    assert _facts([s.result for s in states]) == _facts([extractor.extract_path(p) for p in paths])
    checked = 0
    for state in states:
        assert state.ok and len(state.mentions) == len(state.relations) == len(state.sentences)
        text = state.doc.text
        for sentence, mentions, relations in zip(state.sentences, state.mentions, state.relations):
            for m in mentions:
                assert sentence.start <= m.start < m.end <= sentence.end and text[m.start : m.end] == m.text
                checked += 1
            for r in relations:
                assert r.value in mentions  # the sentence's own value mention, equal field for field
                for m in (r.compound, r.property, *r.conditions):
                    assert m is None or text[m.start : m.end] == m.text
    assert checked > 50 and any(r for s in states for rs in s.relations for r in rs)


def test_pipeline_batched_bad_file_fails_alone(extractor: Extractor, sample_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    (tmp_path / "empty.xml").write_bytes(b"")
    samples = sorted(str(p) for p in sample_dir.iterdir())
    paths = [samples[0], str(tmp_path / "broken.pdf"), *samples[1:3], str(tmp_path / "missing.txt"),
             str(tmp_path / "empty.xml"), samples[3]]
    grouped = _same_as_one_by_one(extractor, paths, group=len(paths))
    failed = {r.source: r.error for r in grouped if not r.ok}
    assert set(failed) == {str(tmp_path / n) for n in ("broken.pdf", "missing.txt", "empty.xml")}
    assert all(Path(source).name in error for source, error in failed.items())
    assert all(r.ok and r.facts for r in grouped if r.source in samples)


def test_pipeline_batched_model_fault_fails_only_its_document(
    extractor: Extractor, sample_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    """The shared NER call breaks on one document's text (simulated): the group is redone one
    document at a time, so only that document fails, with its name, and the others keep
    their facts."""
    poison = tmp_path / "poison.txt"
    poison.write_text("ZnO has a band gap of 3.3 eV. POISON sentence.\n", encoding="utf-8")
    samples = sorted(str(p) for p in sample_dir.iterdir())
    want = {p: extractor.extract_path(p) for p in samples}
    predict = extractor.tagger.predict

    def faulty(texts, *args, **kwargs):
        if any("POISON" in t for t in texts):
            raise RuntimeError("simulated tokenizer crash")
        return predict(texts, *args, **kwargs)

    monkeypatch.setattr(extractor.tagger, "predict", faulty)
    grouped = extractor.extract_paths([samples[0], str(poison), *samples[1:]])
    bad = [r for r in grouped if not r.ok]
    assert [r.source for r in bad] == [str(poison)]
    assert "poison.txt" in bad[0].error and "simulated tokenizer crash" in bad[0].error and bad[0].error_code == "E999"
    for result in grouped:
        if result.ok:
            assert _facts([result]) == _facts([want[result.source]])


@pytest.mark.slow  # ~2-4 min on two shared cores: 300 abstracts, each extracted twice
def test_pipeline_batched_real_abstracts_same_facts_as_one_by_one(
    extractor: Extractor, corpora_dir: Path, tmp_path: Path
) -> None:
    from lit.extract.workers import GROUP_DOCS

    paths = _abstracts(corpora_dir, tmp_path / "abstracts", 300)
    grouped = _same_as_one_by_one(extractor, paths, group=GROUP_DOCS)
    assert sum(len(r.facts) for r in grouped) > 50


def _generated(folder: Path, n: int) -> list[str]:
    """``n`` generated abstracts (the benchmark's generator: our own text, one value-bearing
    paragraph each, so every document gives the relation model something to score)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_extract", REPO / "scripts" / "bench_extract.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return [str(p) for p in bench.make_abstracts(folder, n)]


def test_pipeline_batched_relation_model_one_call_per_group_same_facts(
    extractor: Extractor, sample_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    """The relation model reads the paragraphs of a whole group in one call (counted through
    a pass-through wrapper), and the group's facts and confidences are exactly those of its
    documents extracted one by one, on the sample corpus mixed with 40 generated abstracts."""
    if extractor.linker is None:
        pytest.skip("no trained relation model in models/trained")
    paths = sorted(str(p) for p in sample_dir.iterdir()) + _generated(tmp_path / "generated", 40)
    calls: list[int] = []
    predict = extractor.linker.predict

    def counting(blocks):
        calls.append(len(blocks))
        return predict(blocks)

    monkeypatch.setattr(extractor.linker, "predict", counting)
    alone = [extractor.extract_path(p) for p in paths]
    assert len(calls) == len(paths)  # one call per document alone
    calls.clear()
    grouped = extractor.extract_paths(paths[:24]) + extractor.extract_paths(paths[24:])
    assert len(calls) == 2 and sum(calls) >= len(paths)  # one call per group, every document's paragraphs
    assert [(r.source, r.ok, r.sentences, r.info) for r in grouped] == [(r.source, r.ok, r.sentences, r.info)
                                                                         for r in alone]
    assert _facts(grouped) == _facts(alone)  # every field, confidences included
    linked = [f for r in grouped for f in r.facts if f.model == extractor.sentence_model]
    assert len(linked) >= 40 and len({f.confidence for f in linked}) > 5


def test_pipeline_batched_relation_model_fault_fails_only_its_document(
    extractor: Extractor, sample_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    """The shared relation-model call breaks on one document's paragraph (simulated): the
    group is redone one document at a time, so only that document fails, named."""
    if extractor.linker is None:
        pytest.skip("no trained relation model in models/trained")
    poison = tmp_path / "poison.txt"
    poison.write_text("ZnO has a band gap of 3.3 eV, the POISON value.\n", encoding="utf-8")
    samples = sorted(str(p) for p in sample_dir.iterdir())
    want = {p: extractor.extract_path(p) for p in samples}
    model = extractor.linker.model
    predict_many = model.predict_many

    def faulty(blocks, *args, **kwargs):
        if any("POISON" in text for text, _, _ in blocks):
            raise RuntimeError("simulated relation model crash")
        return predict_many(blocks, *args, **kwargs)

    monkeypatch.setattr(model, "predict_many", faulty)
    grouped = extractor.extract_paths([samples[0], str(poison), *samples[1:]])
    bad = [r for r in grouped if not r.ok]
    assert [r.source for r in bad] == [str(poison)]
    assert "poison.txt" in bad[0].error and "simulated relation model crash" in bad[0].error
    for result in grouped:
        if result.ok:
            assert result.facts and _facts([result]) == _facts([want[result.source]])
