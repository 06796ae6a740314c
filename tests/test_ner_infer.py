"""The committed NER model, loaded offline through NerTagger (models/ner/infer.py)."""

import pytest

from lit.errors import ModelError
from lit.extract.facts import Mention
from lit.models.bundle import TRAINED_DIR, default_artifact
from lit.models.ner.infer import NerTagger

FAST_DIR = TRAINED_DIR / "fast"

SENTENCES = [
    "The band gap of CH3NH3PbI3 is 1.55 eV.",
    "The P3HT:PCBM device showed a power conversion efficiency of 4.2%.",
    "PTB7-Th based solar cells reached an open-circuit voltage of 0.80 V.",
    "The TiO2 films were annealed at 450 °C.",
]


@pytest.fixture(scope="module")
def tagger() -> NerTagger:
    import os

    os.environ["HF_HUB_OFFLINE"] = "1"
    return NerTagger.load(None, device="cpu")  # None: the default bundle's model


def _by_label(ms: list[Mention], label: str) -> set[str]:
    return {m.text for m in ms if m.label == label}


def test_ner_infer_default_model_is_committed_and_small():
    path = default_artifact("ner")
    assert path.name.startswith("ner-")
    files = list(path.glob("*.safetensors"))
    assert files and all(f.stat().st_size <= 16 * 1024 * 1024 for f in files)
    card = (path / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\nlicense: apache-2.0") and "datasets:" in card and "metrics:" in card


def test_ner_infer_finds_compounds_and_values(tagger):
    _assert_finds_the_entities(tagger.predict(SENTENCES))


def test_ner_infer_fast_model_is_opt_in_and_finds_the_same_entities(tagger):
    """The five-layer model in ``models/trained/fast/`` loads by path, is never the default,
    and still finds every entity of the sentences above."""
    fast_dir = FAST_DIR / "ner-v2-l5"
    assert default_artifact("ner") != fast_dir and fast_dir.parent not in default_artifact("ner").parents
    fast = NerTagger.load(fast_dir, device="cpu")
    assert len(fast.model.encoder.encoder.layer) == 5 < len(tagger.model.encoder.encoder.layer)
    assert all(f.stat().st_size <= 16 * 1024 * 1024 for f in fast_dir.glob("*.safetensors"))
    _assert_finds_the_entities(fast.predict(SENTENCES))


def _assert_finds_the_entities(out: list[list[Mention]]) -> None:
    assert len(out) == len(SENTENCES)
    for text, ms in zip(SENTENCES, out):
        for m in ms:
            assert text[m.start : m.end] == m.text and 0.0 < m.score <= 1.0
    assert "CH3NH3PbI3" in _by_label(out[0], "COMPOUND")
    assert "1.55 eV" in _by_label(out[0], "VALUE")
    assert "band gap" in _by_label(out[0], "PROPERTY")
    assert "P3HT:PCBM" in _by_label(out[1], "COMPOUND")
    assert "4.2%" in _by_label(out[1], "VALUE")
    assert "power conversion efficiency" in _by_label(out[1], "PROPERTY")
    assert "PTB7-Th" in _by_label(out[2], "COMPOUND")
    assert "0.80 V" in _by_label(out[2], "VALUE")
    assert "TiO2" in _by_label(out[3], "COMPOUND")


def test_ner_infer_empty_inputs_and_order(tagger):
    assert tagger.predict([]) == []
    assert tagger.predict(["", "   "]) == [[], []]
    together = tagger.predict([SENTENCES[1], "", SENTENCES[0]], batch_size=2)
    alone = [tagger.predict([s])[0] for s in (SENTENCES[1], "", SENTENCES[0])]
    assert [[(m.start, m.end, m.label) for m in ms] for ms in together] == [
        [(m.start, m.end, m.label) for m in ms] for ms in alone
    ]


def test_ner_infer_long_text_is_labelled_to_the_end(tagger):
    sentence = SENTENCES[0]
    text = " ".join([sentence] * 40)  # about 600 subwords: three or more windows
    (ms,) = tagger.predict([text])
    starts = [m.start for m in ms if m.text == "CH3NH3PbI3"]
    assert len(starts) >= 35  # found across every window, including the last
    assert max(starts) > len(text) - 2 * len(sentence)


def test_ner_infer_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="config.json"):
        NerTagger.load(tmp_path, device="cpu")
    with pytest.raises(ModelError, match="default ner model is missing"):
        default_artifact("ner", tmp_path)


#: How far one probability may move with its batch partners or thread count: float32 noise
#: (~1e-7 on an AVX-512 CPU, 0 on the AVX2 machine) plus one step of the rounding to 6 decimals.
ATOL = 1e-5


def _close(a, b) -> bool:
    """Per-word probability rows (``None`` for a word without subwords) equal within ATOL."""
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b):
        if (ra is None) != (rb is None) or (ra is not None and len(ra) != len(rb)):
            return False
        if ra is not None and any(abs(x - y) > ATOL for x, y in zip(ra, rb)):
            return False
    return True


def _decided(mentions: list[Mention]) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.label) for m in mentions]


def test_ner_infer_probabilities_do_not_depend_on_batch_partners(tagger):
    """A sentence's mentions are the same alone, in a batch of other sentences of any length
    and at any batch size, and its probabilities agree to float precision (bitwise on some
    CPUs, not on all): what lets the pipeline batch across documents and still give the
    facts of each document alone (and a resumed run those of a whole one)."""
    from lit.models.ner.words import split_words

    others = SENTENCES[1:] + [s.replace("0.80 V", "0.80 V at 300 K under AM1.5G illumination") for s in SENTENCES]

    def probs(texts, batch_size=32):
        return tagger.word_probs(texts, [split_words(t) for t in texts], batch_size)

    alone = probs([SENTENCES[0]])[0]
    assert _close(probs([SENTENCES[0], *others])[0], alone)
    assert _close(probs([*others, SENTENCES[0]], batch_size=3)[-1], alone)
    assert _close(probs([SENTENCES[0], SENTENCES[0] + " It is direct."])[0], alone)
    mentions = tagger.predict([SENTENCES[0]])[0]
    assert _decided(mentions)
    for together in (tagger.predict([SENTENCES[0], *others])[0], tagger.predict([*others, SENTENCES[0]], 3)[-1]):
        assert _decided(together) == _decided(mentions)
        assert all(abs(a.score - b.score) <= ATOL for a, b in zip(together, mentions))


def test_ner_infer_batches_capped_by_subwords_change_nothing(tagger):
    """The cap on padded subwords per batch (``BATCH_TOKENS``) only regroups windows: long
    texts of several full windows give the same probabilities (to float precision) and
    the same mentions in batches of two."""
    from lit.models.ner.decode import decode_words
    from lit.models.ner.infer import BATCH_TOKENS, window_probs
    from lit.models.ner.words import split_words

    texts = [" ".join(SENTENCES * 12), SENTENCES[2], " ".join(SENTENCES * 9)]
    words = [split_words(t) for t in texts]
    model = tagger.model
    assert BATCH_TOKENS < 32 * model.config.window  # the default does regroup full windows
    uncapped = window_probs(model, texts, words, 32, "cpu", batch_tokens=None)
    for capped in (window_probs(model, texts, words, 32, "cpu", batch_tokens=600),
                   window_probs(model, texts, words, 32, "cpu")):
        assert all(_close(a, b) for a, b in zip(capped, uncapped))
        assert [_decided(decode_words(t, w, p, tagger.id2label)) for t, w, p in zip(texts, words, capped)] == [
            _decided(decode_words(t, w, p, tagger.id2label)) for t, w, p in zip(texts, words, uncapped)]


def test_ner_infer_text_order_batches_and_short_windows_agree(tagger):
    """Batching windows in text order instead of by length changes nothing but padding, and
    inference windows shorter than the training ones (``infer_len``) still label every word."""
    import dataclasses

    from lit.models.ner.infer import window_probs
    from lit.models.ner.words import split_words

    texts = [" ".join(SENTENCES * 12), SENTENCES[2], " ".join(SENTENCES * 3)]
    words = [split_words(t) for t in texts]
    model = tagger.model
    by_length = window_probs(model, texts, words, 4, "cpu")
    in_order = window_probs(model, texts, words, 4, "cpu", by_length=False)
    for a, b in zip(by_length, in_order):
        assert len(a) == len(b)
        assert all(abs(x - y) < 1e-4 for ra, rb in zip(a, b) if ra is not None for x, y in zip(ra, rb))
    config = model.config
    try:
        model.config = dataclasses.replace(config, infer_len=64, stride=62)
        short = window_probs(model, texts, words, 4, "cpu")
    finally:
        model.config = config
    assert [len(r) for r in short] == [len(r) for r in by_length]
    assert all((x is None) == (y is None) for a, b in zip(short, by_length) for x, y in zip(a, b))
    argmax = lambda rows: [max(range(len(r)), key=r.__getitem__) for r in rows if r is not None]  # noqa: E731
    agree = sum(x == y for a, b in zip(short, by_length) for x, y in zip(argmax(a), argmax(b)))
    assert agree >= 0.9 * sum(len(argmax(a)) for a in by_length)


def test_ner_infer_batches_side_by_side_give_the_same_probabilities(tagger):
    """On CPU batches run side by side, one thread each (``map_batches``); the result is
    what one batch at a time on every thread gives, to float precision, and the same tags."""
    from lit.models.ner.decode import decode_words
    from lit.models.ner.infer import window_probs
    from lit.models.ner.words import split_words

    texts = [" ".join(SENTENCES * 12), *SENTENCES, " ".join(SENTENCES * 3)]
    words = [split_words(t) for t in texts]
    one = window_probs(tagger.model, texts, words, 4, "cpu", threads=1)
    for threads in (2, 3):
        side = window_probs(tagger.model, texts, words, 4, "cpu", threads=threads)
        assert all(_close(a, b) for a, b in zip(side, one))
        assert [_decided(decode_words(t, w, p, tagger.id2label)) for t, w, p in zip(texts, words, side)] == [
            _decided(decode_words(t, w, p, tagger.id2label)) for t, w, p in zip(texts, words, one)]


def test_ner_infer_map_batches_keeps_order_and_runs_each_batch_on_one_thread():
    import threading

    import torch

    from lit.models.ner.infer import map_batches

    before = torch.get_num_threads()

    def job(x):
        return x * 10, torch.get_num_threads(), threading.current_thread().name

    out = map_batches(job, range(12), "cpu", threads=2)
    assert [v for v, _, _ in out] == [x * 10 for x in range(12)]
    assert all(n == 1 and name.startswith("lit-batch") for _, n, name in out)
    assert torch.get_num_threads() == before  # the caller's setting is its own
    assert {name for _, _, name in map_batches(job, range(3), "cpu", threads=1)} == {threading.current_thread().name}


def test_ner_infer_map_batches_runs_a_lone_batch_on_the_callers_threads():
    """Nothing could run beside a lone batch, so it keeps every core (a one-sentence call)."""
    import threading

    import torch

    from lit.models.ner.infer import map_batches

    def job(x):
        return torch.get_num_threads(), threading.current_thread().name

    assert map_batches(job, [7], "cpu", threads=2) == [(torch.get_num_threads(), threading.current_thread().name)]
    assert map_batches(job, [], "cpu", threads=2) == []


def test_ner_infer_map_batches_raises_what_a_batch_raises():
    """An error in one batch on a worker thread reaches the caller (the pipeline records it
    against its group) instead of being lost with the thread."""
    from lit.models.ner.infer import map_batches

    def job(x):
        if x == 5:
            raise ValueError(f"batch {x} is bad")
        return x

    with pytest.raises(ValueError, match="batch 5 is bad"):
        map_batches(job, range(8), "cpu", threads=2)
    assert map_batches(job, range(5), "cpu", threads=2) == list(range(5))  # the pool still works


def test_ner_infer_positions_are_padded_to_a_bucket_with_cls():
    from lit.models.ner.infer import BUCKET, padded_positions

    out = padded_positions([[1, 2, 3], [4] * 9, []])
    assert out.shape == (3, 2 * BUCKET)
    assert out[0, :3].tolist() == [1, 2, 3] and out[0, 3:].eq(0).all()
    assert out[1, :9].tolist() == [4] * 9 and out[2].eq(0).all()
    assert padded_positions([[], []]).shape == (2, BUCKET)
