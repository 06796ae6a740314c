"""Paragraphs to encoder windows and mention subwords (models/re/data.py)."""

import pytest

from lit.models.re.config import ReConfig
from lit.models.re.data import collate, encode_instances, from_mentions


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from lit.models.ner.config import resolve_base

    return AutoTokenizer.from_pretrained(str(resolve_base()))


def _instance(text: str, spans: list[tuple[str, str]]):
    ms = []
    for s, label in spans:
        i = text.index(s)
        ms.append((i, i + len(s), label))
    return from_mentions(text, ms, [(0, len(text))], ReConfig(max_sent_distance=0))


def test_re_data_mentions_point_at_their_own_subwords(tokenizer):
    text = "The band gap of CH3NH3PbI3 is 1.55 eV."
    inst = _instance(text, [("band gap", "PROPERTY"), ("CH3NH3PbI3", "COMPOUND"), ("1.55 eV", "VALUE")])
    (enc,) = encode_instances(tokenizer, [inst], max_len=64, stride=48)
    assert len(enc.windows) == 1
    for (s, e, _), subs in zip(inst.mentions, enc.mention_subwords):
        pieces = tokenizer.convert_ids_to_tokens([enc.windows[k][p] for k, p in subs])
        joined = "".join(t.removeprefix("##") for t in pieces)
        assert joined == text[s:e].lower().replace(" ", "")


def test_re_data_long_text_uses_overlapping_windows_and_pruning_drops_idle_ones(tokenizer):
    filler = " ".join(["the sample was stirred"] * 60)
    text = f"GaN has a band gap of 3.4 eV. {filler}."
    inst = _instance(text, [("GaN", "COMPOUND"), ("band gap", "PROPERTY"), ("3.4 eV", "VALUE")])
    (full,) = encode_instances(tokenizer, [inst], max_len=64, stride=48)
    (pruned,) = encode_instances(tokenizer, [inst], max_len=64, stride=62, prune=True)
    assert len(full.windows) > 3 and all(len(w) <= 64 for w in full.windows)
    assert len(pruned.windows) == 1  # only the first window holds candidate mentions
    batch = collate([inst], [pruned])
    assert batch.pairs.shape == (len(inst.candidates), 7) and batch.labels.sum() == 0
    assert int(batch.sub_rows.max()) < batch.input_ids.numel()
