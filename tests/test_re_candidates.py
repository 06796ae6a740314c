"""Candidate pairs of the relation model: counts, caps and features (models/re/candidates.py)."""

from lit.models.ner.words import split_words
from lit.models.re.candidates import DIST_BOUNDS, distance_bucket, make_candidates

TEXT = "The band gap of GaN is 3.4 eV. AlN has 6.2 eV at 300 K. Far away sentence. Another with 5 eV."


def _span(text: str, label: str, after: int = 0) -> tuple[int, int, str]:
    s = TEXT.index(text, after)
    return (s, s + len(text), label)


MENTIONS = [
    _span("band gap", "PROPERTY"),
    _span("GaN", "COMPOUND"),
    _span("3.4 eV", "VALUE"),
    _span("AlN", "COMPOUND"),
    _span("6.2 eV", "VALUE"),
    _span("300 K", "CONDITION"),
    _span("5 eV", "VALUE", TEXT.index("Another")),
]
SENTENCES = [(0, 30), (31, 55), (56, 74), (75, len(TEXT))]
WORDS = split_words(TEXT)


def _pairs(cands):
    names = [TEXT[s:e] for s, e, _ in MENTIONS]
    return {(names[c.head], names[c.tail]) for c in cands}


def test_re_candidates_neighbouring_sentences_only():
    cands = make_candidates(MENTIONS, SENTENCES, WORDS, max_sent_distance=1, max_word_distance=60)
    # 3.4 eV and 6.2 eV each see the four heads of sentences 0-1; 5 eV (sentence 3) sees none:
    # sentence 2 has no mention and sentence 1 is two sentences away.
    assert len(cands) == 8
    assert {t for _, t in _pairs(cands)} == {"3.4 eV", "6.2 eV"}
    assert all(TEXT[MENTIONS[c.tail][0]:MENTIONS[c.tail][1]] != "5 eV" for c in cands)


def test_re_candidates_same_sentence_cap():
    cands = make_candidates(MENTIONS, SENTENCES, WORDS, max_sent_distance=0, max_word_distance=60)
    assert _pairs(cands) == {("band gap", "3.4 eV"), ("GaN", "3.4 eV"), ("AlN", "6.2 eV"), ("300 K", "6.2 eV")}


def test_re_candidates_word_distance_cap():
    # words: The band gap of GaN is 3.4 eV . AlN has 6.2 eV at 300 K .
    cands = make_candidates(MENTIONS, SENTENCES, WORDS, max_sent_distance=1, max_word_distance=2)
    assert _pairs(cands) == {("GaN", "3.4 eV"), ("AlN", "3.4 eV"), ("AlN", "6.2 eV"), ("300 K", "6.2 eV")}


def test_re_candidates_features():
    cands = make_candidates(MENTIONS, SENTENCES, WORDS)
    by = {(TEXT[MENTIONS[c.head][0]:MENTIONS[c.head][1]], TEXT[MENTIONS[c.tail][0]:MENTIONS[c.tail][1]]): c for c in cands}
    gan, aln = by[("GaN", "6.2 eV")], by[("AlN", "6.2 eV")]
    assert (aln.rank, gan.rank) == (0, 1)  # AlN is the nearer compound before 6.2 eV
    assert (aln.between, gan.between) == (0, 1)  # 3.4 eV lies between GaN and 6.2 eV
    assert (aln.sentence, gan.sentence) == (2, 1)  # same sentence / one sentence before
    assert gan.link_type == "compound_of" and by[("band gap", "3.4 eV")].link_type == "property_of"
    assert by[("300 K", "6.2 eV")].link_type == "condition_of"
    assert by[("AlN", "3.4 eV")].distance > len(DIST_BOUNDS)  # a head after its value
    assert by[("GaN", "3.4 eV")].distance <= len(DIST_BOUNDS)


def test_re_candidates_distance_buckets_grow_and_keep_sides_apart():
    before = [distance_bucket(d, True) for d in (0, 1, 2, 5, 20, 100)]
    after = [distance_bucket(d, False) for d in (0, 1, 2, 5, 20, 100)]
    assert before == sorted(before) and after == sorted(after)
    assert max(before) < min(after)


def test_re_candidates_no_values_no_pairs():
    ms = [m for m in MENTIONS if m[2] != "VALUE"]
    assert make_candidates(ms, SENTENCES, WORDS) == []
