"""BIO repair and span decoding (models/ner/decode.py)."""

import itertools
import math
import random

from lit.models.corpora.bio import bio_spans as tags_to_spans
from lit.models.ner.config import NerConfig
from lit.models.ner.decode import best_tags, decode_words


def test_ner_decode_repairs_orphan_inside_tags():
    assert tags_to_spans(["O", "I-VALUE", "I-VALUE", "O"]) == [(1, 3, "VALUE")]
    assert tags_to_spans(["B-COMPOUND", "I-VALUE"]) == [(0, 1, "COMPOUND"), (1, 2, "VALUE")]
    assert tags_to_spans(["B-COMPOUND", "B-COMPOUND", "I-COMPOUND"]) == [(0, 1, "COMPOUND"), (1, 3, "COMPOUND")]
    assert tags_to_spans(["I-PROPERTY"]) == [(0, 1, "PROPERTY")]
    assert tags_to_spans([]) == []


def _row(cfg: NerConfig, tag: str, p: float) -> list[float]:
    n = len(cfg.tags)
    row = [(1 - p) / (n - 1)] * n
    row[cfg.tags.index(tag)] = p
    return row


def test_ner_decode_char_offsets_text_and_mean_score():
    cfg = NerConfig()
    text = "gap of CH3NH3PbI3 is 1.55 eV"
    words = [(0, 3), (4, 6), (7, 17), (18, 20), (21, 25), (26, 28)]
    probs = [
        _row(cfg, "O", 0.9),
        _row(cfg, "O", 0.9),
        _row(cfg, "B-COMPOUND", 0.8),
        _row(cfg, "O", 0.9),
        _row(cfg, "B-VALUE", 0.6),
        _row(cfg, "I-VALUE", 1.0),
    ]
    ms = decode_words(text, words, probs, cfg.id2label)
    assert [(m.label, m.text) for m in ms] == [("COMPOUND", "CH3NH3PbI3"), ("VALUE", "1.55 eV")]
    assert all(text[m.start : m.end] == m.text for m in ms)
    assert abs(ms[1].score - 0.8) < 1e-6


def test_ner_decode_keeps_a_span_whole_when_one_inner_word_leans_elsewhere():
    cfg = NerConfig()
    text = "glass transition temperature"
    words = [(0, 5), (6, 16), (17, 28)]
    inner = _row(cfg, "I-PROPERTY", 0.40)
    inner[cfg.tags.index("I-VALUE")] = 0.45  # per-word argmax would split the property in three
    probs = [_row(cfg, "B-PROPERTY", 0.9), inner, _row(cfg, "I-PROPERTY", 0.9)]
    ms = decode_words(text, words, probs, cfg.id2label)
    assert [(m.label, m.text) for m in ms] == [("PROPERTY", "glass transition temperature")]
    assert abs(ms[0].score - (0.9 + 0.40 + 0.9) / 3) < 1e-6


def test_ner_decode_never_starts_with_an_inside_tag():
    cfg = NerConfig()
    text = "1.55 eV"
    probs = [_row(cfg, "I-VALUE", 0.6), _row(cfg, "I-VALUE", 0.9)]
    tags, _ = best_tags(probs, cfg.id2label)
    assert tags[0].startswith("B-") or tags[0] == "O"
    ms = decode_words(text, [(0, 4), (5, 7)], probs, cfg.id2label)
    assert [(m.label, m.text) for m in ms] == [("VALUE", "1.55 eV")]


def test_ner_decode_folds_labels_a_corpus_does_not_annotate_into_outside():
    """A head trained where CONDITION is never marked may call plain words I-CONDITION."""
    cfg = NerConfig()
    text = "citric acid was added"
    words = [(0, 6), (7, 11), (12, 15), (16, 21)]
    plain = _row(cfg, "I-CONDITION", 0.9)
    plain[cfg.tags.index("O")] = 0.05
    probs = [_row(cfg, "B-COMPOUND", 0.8), _row(cfg, "I-COMPOUND", 0.8), plain, plain]
    only = decode_words(text, words, probs, cfg.id2label, labels=["COMPOUND", "PROPERTY", "VALUE"])
    assert [(m.label, m.text) for m in only] == [("COMPOUND", "citric acid")]
    # Unfolded, the constrained path pays for a B-CONDITION by cutting the compound short:
    # the loss the fold prevents.
    free = decode_words(text, words, probs, cfg.id2label)
    assert ("COMPOUND", "citric acid") not in [(m.label, m.text) for m in free]


def test_ner_decode_finds_the_most_probable_well_formed_sequence():
    """Against brute force over every tag sequence of random rows (3-4 words, 9 tags)."""
    cfg = NerConfig()
    tags = [cfg.id2label[i] for i in range(len(cfg.tags))]
    rng = random.Random(5)

    def well_formed(seq):
        prev = "O"
        for t in seq:
            if t.startswith("I-") and prev[2:] != t[2:]:
                return False
            prev = t
        return True

    for _ in range(40):
        n = rng.choice([3, 4])
        rows = []
        for _ in range(n):
            raw = [rng.random() ** 3 for _ in tags]
            rows.append([v / sum(raw) for v in raw])
        best = max(
            (seq for seq in itertools.product(range(len(tags)), repeat=n) if well_formed([tags[k] for k in seq])),
            key=lambda seq: sum(math.log(rows[j][k]) for j, k in enumerate(seq)),
        )
        got, probs = best_tags(rows, cfg.id2label)
        assert got == [tags[k] for k in best]
        assert probs == [rows[j][k] for j, k in enumerate(best)]


def test_ner_decode_words_without_subwords_are_outside():
    cfg = NerConfig()
    text = "a \u200b b"
    words = [(0, 1), (2, 3), (4, 5)]
    last = _row(cfg, "I-COMPOUND", 0.6)
    last[cfg.tags.index("B-COMPOUND")] = 0.3
    probs = [_row(cfg, "B-COMPOUND", 0.9), None, last]
    ms = decode_words(text, words, probs, cfg.id2label)
    assert [(m.start, m.end) for m in ms] == [(0, 1), (4, 5)]
    joined = decode_words("a b", [(0, 1), (2, 3)], [probs[0], last], cfg.id2label)
    assert [(m.start, m.end) for m in joined] == [(0, 3)]
    assert decode_words("", [], [], cfg.id2label) == []
