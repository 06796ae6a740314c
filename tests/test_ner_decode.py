"""BIO repair and span decoding (models/ner/decode.py)."""

from lit.models.ner.config import NerConfig
from lit.models.corpora.bio import bio_spans as tags_to_spans
from lit.models.ner.decode import decode_words


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
        _row(cfg, "I-VALUE", 0.6),  # orphan I-: starts the value
        _row(cfg, "I-VALUE", 1.0),
    ]
    ms = decode_words(text, words, probs, cfg.id2label)
    assert [(m.label, m.text) for m in ms] == [("COMPOUND", "CH3NH3PbI3"), ("VALUE", "1.55 eV")]
    assert all(text[m.start : m.end] == m.text for m in ms)
    assert abs(ms[1].score - 0.8) < 1e-6


def test_ner_decode_words_without_subwords_are_outside():
    cfg = NerConfig()
    text = "a \u200b b"
    words = [(0, 1), (2, 3), (4, 5)]
    probs = [_row(cfg, "B-COMPOUND", 0.9), None, _row(cfg, "I-COMPOUND", 0.9)]
    ms = decode_words(text, words, probs, cfg.id2label)
    assert [(m.start, m.end) for m in ms] == [(0, 1), (4, 5)]
    assert decode_words("", [], [], cfg.id2label) == []
