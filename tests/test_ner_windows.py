"""Windowing, subword alignment and word labels (models/ner/windows.py)."""

import pytest

from lit.models.ner.config import NerConfig, resolve_base
from lit.models.ner.windows import IGNORE, best_window, encode_texts, make_windows, window_spans, word_tags
from lit.models.ner.words import split_words


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(resolve_base()))


def test_ner_windows_cover_every_position_with_full_last_window():
    assert window_spans(0, 254, 128) == []
    assert window_spans(10, 254, 128) == [(0, 10)]
    spans = window_spans(600, 254, 128)
    assert spans[0] == (0, 254) and spans[-1] == (600 - 254, 600)
    covered = {p for s, e in spans for p in range(s, e)}
    assert covered == set(range(600))
    assert all(e - s == 254 for s, e in spans)


def test_ner_windows_best_window_prefers_central_position():
    spans = window_spans(600, 254, 128)
    owner = best_window(600, spans)
    assert -1 not in owner
    # position 200 is 73 from the end of window 0 but 72 from the start of window 1 -> window 0
    for p in (5, 200, 300, 595):
        s, e = spans[owner[p]]
        centrality = min(p - s, e - 1 - p)
        assert all(centrality >= min(p - s2, e2 - 1 - p) for s2, e2 in spans if s2 <= p < e2)
    assert owner[5] == 0 and owner[595] == len(spans) - 1


def test_ner_windows_subword_split_keeps_first_subword_and_case(tokenizer):
    text = "Co and CO and co in CH3NH3PbI3"
    words = split_words(text)
    (enc,) = encode_texts(tokenizer, [text], [words])
    assert len(enc.first_subword) == len(words) and -1 not in enc.first_subword
    # the formula is split into several subwords, all owned by its word
    formula = len(words) - 1
    owned = [j for j, w in enumerate(enc.word_ids) if w == formula]
    assert len(owned) > 1 and enc.first_subword[formula] == owned[0]
    # the uncased ids are equal for Co/CO/co, the features are not
    first = [enc.first_subword[i] for i in (0, 2, 4)]
    assert len({enc.input_ids[j] for j in first}) == 1
    assert len({enc.features[j] for j in first}) == 3


def test_ner_windows_labels_only_on_first_subword_and_across_windows(tokenizer):
    cfg = NerConfig()
    tag2id = {t: i for i, t in cfg.id2label.items()}
    text = " ".join(["CH3NH3PbI3 has a gap of 1.55 eV ."] * 60)
    words = split_words(text)
    ents = [(s, e, "COMPOUND") for s, e in words if text[s:e] == "CH3NH3PbI3"]
    tags = word_tags(words, ents, tag2id)
    (enc,) = encode_texts(tokenizer, [text], [words])
    wins, spans = make_windows(enc, 30, 15, tokenizer.cls_token_id, tokenizer.sep_token_id, tags)
    assert len(wins) > 2 and all(len(w.input_ids) <= 32 for w in wins)
    labelled = {}
    for w, (s, e) in zip(wins, spans):
        assert w.labels[0] == IGNORE and w.labels[-1] == IGNORE
        for j, lab in enumerate(w.labels[1:-1]):
            if lab != IGNORE:
                labelled[s + j] = lab
    assert sorted(labelled) == sorted(enc.first_subword)
    assert sum(1 for lab in labelled.values() if lab == tag2id["B-COMPOUND"]) == 60


def test_ner_windows_word_tags_multiword_and_unknown_labels():
    cfg = NerConfig()
    tag2id = {t: i for i, t in cfg.id2label.items()}
    words = [(0, 4), (5, 7), (8, 10), (11, 15)]
    tags = word_tags(words, [(5, 10, "VALUE"), (0, 4, "DISEASE")], tag2id)
    assert [cfg.id2label[t] for t in tags] == ["O", "B-VALUE", "I-VALUE", "O"]


def test_ner_windows_empty_text(tokenizer):
    (enc,) = encode_texts(tokenizer, [""], [[]])
    assert len(enc) == 0
    wins, spans = make_windows(enc, 254, 128, 101, 102)
    assert wins == [] and spans == []
