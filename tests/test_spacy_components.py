"""lit's spaCy components on real sentences: ``lit_ner`` sets ``doc.ents`` to exactly the
mentions lit's pipeline finds, ``lit_facts`` the facts ``lit extract`` writes, with offsets
into ``doc.text``; both through the ``spacy_factories`` entry point, ``nlp.pipe`` with
``n_process``, and after other components.

Paragraphs come from the PolyIE test split (read through ``LIT_CORPORA``); the models are
the default bundle's, loaded once per process (:func:`lit.spacy_components.shared_extractor`).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy

from lit.extract.facts import ENTITY_LABELS
from lit.extract.readers import read_document
from lit.extract.stages import Materials
from lit.extract.segment import split_text
from lit.models.corpora import load_examples
from lit.spacy_components import PREDICTED_KEY, shared_extractor, text_document

GAN = "The band gap of GaN is 3.4 eV."


@pytest.fixture(scope="module")
def paragraphs(corpora_dir: Path) -> list[str]:
    """Eight sentences of the PolyIE test split that state a value (gold VALUE entity), two
    by two as small paragraphs, so that facts can link within them."""
    sentences = []
    for example in load_examples("polyie", "test", corpora_dir):
        values = [v for v in example.entities if v.label == "VALUE"]
        for start, end in split_text(example.text):
            if any(start <= v.start < end for v in values) and end - start < 400:
                sentences.append(example.text[start:end])
    assert len(sentences) >= 16
    return [" ".join(sentences[i : i + 2]) for i in range(0, 16, 2)]


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lit_ner")
    nlp.add_pipe("lit_facts")
    return nlp


@pytest.fixture(scope="module")
def ner(nlp) -> spacy.Language:
    """The same components without lit_facts (the models are shared)."""
    only = spacy.blank("en")
    only.add_pipe("lit_ner")
    return only


def _ents(doc) -> list[tuple[int, int, str, float]]:
    return [(e.start_char, e.end_char, e.label_, round(e._.lit_score, 4)) for e in doc.ents]


def _records(doc) -> list[dict]:
    return sorted((f.to_dict() for f in doc._.lit_facts), key=lambda r: r["id"])


def test_entry_points_name_both_components() -> None:
    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert names.get("lit_ner") == "lit.spacy_components:make_lit_ner"
    assert names.get("lit_facts") == "lit.spacy_components:make_lit_facts"


def test_add_pipe_by_name_in_a_fresh_process_without_importing_lit() -> None:
    """The README's one-liner: spaCy finds lit through the entry point alone."""
    code = (
        "import spacy; nlp = spacy.blank('en'); nlp.add_pipe('lit_ner'); "
        f"print([(e.text, e.label_) for e in nlp({GAN!r}).ents])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "('GaN', 'COMPOUND')" in out.stdout
    assert "('band gap', 'PROPERTY')" in out.stdout
    assert "('3.4 eV', 'VALUE')" in out.stdout


def test_lit_ner_entities_cover_exactly_the_characters_found(nlp) -> None:
    doc = nlp(GAN)
    assert [(e.text, e.label_) for e in doc.ents] == [("band gap", "PROPERTY"), ("GaN", "COMPOUND"), ("3.4 eV", "VALUE")]
    assert all(0.0 < e._.lit_score <= 1.0 for e in doc.ents)
    # the blank tokenizer keeps "eV." whole; the component split off the full stop
    assert [t.text for t in doc][-2:] == ["eV", "."]


def test_lit_ner_entities_are_the_pipelines_mentions_on_real_paragraphs(ner, paragraphs) -> None:
    extractor = shared_extractor()
    found = 0
    for text in paragraphs:
        document = text_document(text)
        (state,) = extractor.analyse([document], until=Materials)
        expected = [(m.start, m.end, m.label) for ms in state.mentions for m in ms]
        doc = ner(text)
        assert doc.text == text
        got = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        assert got == sorted(expected), text[:80]
        assert {e.label_ for e in doc.ents} <= set(ENTITY_LABELS)
        found += len(got)
    assert found > 30


def test_lit_facts_are_the_records_lit_extract_writes(nlp, paragraphs, tmp_path) -> None:
    """Each paragraph as a text file through the extractor `lit extract` runs: the same
    records (all but `source`, a Doc has no file name), and offsets into doc.text."""
    extractor = shared_extractor()
    compared = facts = 0
    for i, text in enumerate(paragraphs):
        path = tmp_path / f"p{i}.txt"
        path.write_text(text, encoding="utf-8")
        if read_document(path).text != text:
            continue  # the reader renders TeX (cm^-2) and collapses spaces: other offsets
        doc = nlp(text)
        for fact in doc._.lit_facts:
            assert doc.text[fact.start : fact.end] == fact.sentence
            assert doc.text[fact.compound_start : fact.compound_end] == fact.compound
            assert doc.text[fact.value_start : fact.value_end] == fact.raw_value
        result = extractor.extract_path(path)
        assert result.ok, result.error
        drop = lambda records: [{k: v for k, v in r.items() if k != "source"} for r in records]  # noqa: E731
        expected = sorted((f.to_dict() for f in result.facts), key=lambda r: r["id"])
        assert drop(_records(doc)) == drop(expected)
        compared += 1
        facts += len(expected)
    assert compared >= 3 and facts >= 3, (compared, facts)


def test_lit_facts_after_lit_ner_runs_the_ner_model_once(paragraphs, monkeypatch) -> None:
    """lit_facts starts from the NER model's mentions lit_ner left on the Doc: one model call
    per batch, not two, and the facts (every field) of lit_facts alone."""
    extractor = shared_extractor()
    if extractor.tagger is None:
        pytest.skip("no trained NER model")
    alone = spacy.blank("en")
    alone.add_pipe("lit_facts")
    want = [_records(d) for d in alone.pipe(paragraphs, batch_size=4)]
    calls: list[int] = []
    predict = extractor.tagger.predict

    def counting(texts):
        calls.append(len(texts))
        return predict(texts)

    monkeypatch.setattr(extractor.tagger, "predict", counting)
    both = spacy.blank("en")
    both.add_pipe("lit_ner")
    both.add_pipe("lit_facts")
    docs = list(both.pipe(paragraphs, batch_size=4))
    assert len(calls) == 2  # two batches of four, through lit_ner only
    assert [_records(d) for d in docs] == want and any(want)
    assert all(PREDICTED_KEY not in d.user_data for d in docs)  # used, then dropped


def test_pipe_in_two_processes_gives_what_one_gives(nlp, paragraphs) -> None:
    one = list(nlp.pipe(paragraphs, batch_size=2))
    two = list(nlp.pipe(paragraphs, batch_size=2, n_process=2))
    assert [d.text for d in two] == paragraphs
    assert [_ents(d) for d in two] == [_ents(d) for d in one]
    assert [_records(d) for d in two] == [_records(d) for d in one]
    assert any(d._.lit_facts for d in two)


def test_after_other_components_their_entities_are_kept_unless_told(paragraphs) -> None:
    text = "Polymer solar cells ( PSCs ) based on PffBB-14 reached a PCE of 9.93% . " + GAN
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "DEVICE", "pattern": "PSCs"}, {"label": "MATERIAL", "pattern": "GaN"}])
    nlp.add_pipe("lit_ner")
    doc = nlp(text)
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels["GaN"] == "MATERIAL" and labels["PSCs"] == "DEVICE"
    assert labels["3.4 eV"] == "VALUE" and labels["band gap"] == "PROPERTY"
    assert len(list(doc.sents)) == 2  # the sentencizer's work is untouched

    nlp.replace_pipe("lit_ner", "lit_ner", config={"overwrite_ents": True})
    assert {e.text: e.label_ for e in nlp(text).ents}["GaN"] == "COMPOUND"


def test_component_pickles_without_its_models(nlp) -> None:
    """What a spawned worker gets: the settings; the models come from its own process."""
    ner = nlp.get_pipe("lit_ner")
    data = pickle.dumps(ner)
    assert len(data) < 1000
    again = pickle.loads(data)
    doc = again(spacy.blank("en")(GAN))
    assert [(e.text, e.label_) for e in doc.ents] == [("band gap", "PROPERTY"), ("GaN", "COMPOUND"), ("3.4 eV", "VALUE")]


def test_paragraphs_at_blank_lines_keep_offsets_into_doc_text(nlp) -> None:
    text = "  " + GAN + "\r\n\r\n\tThe Curie temperature of Ni is 627 K.  \n"
    doc = nlp(text)
    facts = {(f.compound, f.property, f.value, f.unit) for f in doc._.lit_facts}
    assert {("GaN", "band_gap", 3.4, "eV"), ("Ni", "curie_temperature", 627.0, "K")} <= facts
    for fact in doc._.lit_facts:
        assert doc.text[fact.start : fact.end] == fact.sentence
        assert doc.text[fact.value_start : fact.value_end] == fact.raw_value
    assert {e.text for e in doc.ents} >= {"GaN", "3.4 eV", "Ni", "627 K"}


def test_a_saved_pipeline_loads_with_its_lit_components(nlp, tmp_path) -> None:
    """spacy.load rebuilds lit's components from the saved config, by factory name."""
    nlp.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    assert again.pipe_names == ["lit_ner", "lit_facts"]
    doc = again(GAN)
    assert [(e.text, e.label_) for e in doc.ents] == [("band gap", "PROPERTY"), ("GaN", "COMPOUND"), ("3.4 eV", "VALUE")]
    assert [(f.compound, f.value, f.unit) for f in doc._.lit_facts] == [("GaN", 3.4, "eV")]
