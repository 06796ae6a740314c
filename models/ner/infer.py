"""``NerTagger``: what the extraction pipeline calls to find entities in sentences.

Inference cuts each text into words, words into subwords, long texts into overlapping
windows; windows from all texts are grouped by length and run in batches (little padding;
on CPU several batches side by side, one thread each: :func:`map_batches`),
each subword keeps the prediction of the window where it is most central, and each word
takes its first subword's tag probabilities; so the encoder's last layer runs only for the
first subwords each window owns (``positions``, see :meth:`NerModel.forward`). Mentions
come back with character offsets into the text they were found in.

What a text's predictions may depend on: every window is padded to a fixed length bucket
(its length rounded up to :data:`BUCKET`) and runs in a batch of same-bucket windows, never
alone (a batch of one row takes another kernel, so a lone window is run twice). On the
2-core AVX2 machine a row's floats then depend only on the row and its padded length,
bitwise (batch sizes 2-64, 1 or 2 threads). That is not true on every CPU: on an AVX-512
CPU torch's kernels round differently per batch shape, and a row's probabilities differ in
the last bits (~1e-7) with its batch partners. So lit promises equality at the level it
decides and writes, not of floats: probabilities are rounded to :data:`PROB_DECIMALS`
before decoding, the decoding breaks ties by label order, and the pipeline's facts (each
confidence rounded to 4 decimals) are what the tests compare across grouping, worker
count and resume. A last-bit difference can still change a decision when a probability
sits within it of a rounding boundary or a tie; nothing short of bitwise kernels rules
that out. (On CUDA with bf16 the differences are larger: kernels vary with batch shape.)
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from lit.errors import ModelError
from lit.extract.facts import Mention

T = TypeVar("T")
R = TypeVar("R")

#: Windows are padded to a multiple of this many subwords (see the module docstring). Eight
#: keeps padding small (~4 subwords per window) while same-bucket batches stay large.
BUCKET = 8

#: Word tag probabilities are rounded to this many decimals before anything is decided on
#: them (the precision a mention's score is kept at), so that differences in the last bits
#: of float32 (~1e-7, with batch shape on some CPUs) mostly vanish before decoding.
PROB_DECIMALS = 6

#: At most this many padded subwords per inference batch (and at most ``batch_size`` rows).
#: On the 2-core AVX2 CPU the forward pass ran 12-20 % faster in batches of 1k-4k subwords than
#: in batches of 8k (e.g. 32 full windows of 256), whose activations outgrow the caches (probe
#: of random windows of 48/128/256, 3 interleaved passes; 10 % on PolyIE validation with
#: bench_ner); short sentences still batch 32 at a time.
BATCH_TOKENS = 2048

class NerTagger:
    """A loaded NER model ready for batched prediction on CPU or CUDA."""

    def __init__(self, model, device: str = "cpu", path: Path | None = None):
        self.model = model
        self.device = device
        self.path = path
        self.config = model.config
        self.id2label = model.config.id2label
        self.version = model.config.version

    @classmethod
    def load(cls, path: str | Path | None = None, device: str = "auto") -> "NerTagger":
        """Load ``path`` (default: the bundle's NER model, :mod:`lit.models.bundle`) for inference."""
        import torch

        from lit.models.bundle import default_artifact
        from lit.models.ner.model import NerModel

        torch.set_num_threads(max(1, os.cpu_count() or 1))
        target = Path(path) if path is not None else default_artifact("ner")
        model = NerModel.from_pretrained(target, merge=True)
        dev = resolve_device(device)
        model.to(dev)
        return cls(model, dev, target)

    @contextmanager
    def head_for(self, corpus: str):
        """Within the block, predict with ``corpus``'s head when the model has one per corpus.

        A model with one shared head, or no head for ``corpus``, keeps its current head, so
        scoring a corpus never fails for want of a head of its own.
        """
        names = self.config.head_names
        before = self.model.head
        if corpus in names:
            self.model.head = names.index(corpus)
        try:
            yield self
        finally:
            self.model.head = before

    def predict(self, texts: Sequence[str], batch_size: int = 32) -> list[list[Mention]]:
        """Entities in each text; offsets index into that text. Empty text gives ``[]``."""
        from lit.models.ner.words import split_words

        return self.predict_words(texts, [split_words(t) for t in texts], batch_size)

    def predict_words(
        self,
        texts: Sequence[str],
        words: Sequence[Sequence[tuple[int, int]]],
        batch_size: int = 32,
        labels: Sequence[str] | None = None,
    ) -> list[list[Mention]]:
        """Like :meth:`predict` with the words given (e.g. a corpus's gold tokenisation);
        ``labels`` limits the entity labels decoded (see :mod:`.decode`)."""
        from lit.models.ner.decode import decode_words

        probs = self.word_probs(texts, words, batch_size)
        return [decode_words(t, w, p, self.id2label, labels) for t, w, p in zip(texts, words, probs)]

    def word_probs(
        self, texts: Sequence[str], words: Sequence[Sequence[tuple[int, int]]], batch_size: int = 32
    ) -> list[list[list[float] | None]]:
        """Tag probabilities of each word's first subword (``None`` where a word has none)."""
        return window_probs(self.model, texts, words, batch_size, self.device)


def resolve_device(device: str = "auto") -> str:
    """``auto`` is CUDA when present, else CPU; an explicit ``cuda`` without a GPU is an error."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"device {device!r} requested but torch sees no CUDA GPU; use --device cpu or auto")
    if device != "cpu" and not device.startswith("cuda"):
        raise ModelError(f"unknown device {device!r}; use auto, cpu or cuda")
    return device


def window_probs(
    model, texts, words, batch_size: int, device: str, forward=None, by_length: bool = True,
    batch_tokens: int | None = BATCH_TOKENS, threads: int | None = None,
):
    """Run ``model`` over all windows of all texts; per-word probability rows.

    ``forward`` (optional) replaces ``model.forward`` with another implementation taking
    ``(input_ids, attention_mask, features, positions)`` and returning the logits at
    ``positions`` (each window's owned first subwords) — the benchmark uses it to compare
    fp32, int8 and ONNX Runtime on identical windows. Windows are batched by
    length (:func:`bucketed`); ``by_length=False`` batches them in text order, each batch
    padded to its longest window: the plain baseline the benchmark measures against. Batches
    by length hold at most ``batch_tokens`` padded subwords (``None``: ``batch_size`` rows).
    ``threads``: batches run at once on CPU (:func:`map_batches`).
    """
    import torch

    from lit.models.ner.windows import best_window, encode_texts, make_windows

    cfg = model.config
    tok = model.tokenizer
    encoded = encode_texts(tok, texts, words)
    size = cfg.window - 2
    items = []  # (text index, window index, window)
    # Per text and word: (window, row of that window's output), -1 for a word without subwords.
    # A window outputs only the first subwords it owns, in order; ``needed`` holds their
    # positions (with [CLS] at 0), the ``positions`` its forward is asked for.
    where: list[list[tuple[int, int]]] = []
    needed: dict[tuple[int, int], list[int]] = {}
    for i, enc in enumerate(encoded):
        wins, spans = make_windows(enc, size, cfg.stride, tok.cls_token_id, tok.sep_token_id)
        items += [(i, k, w) for k, w in enumerate(wins)]
        owner = best_window(len(enc), spans)
        rows = []
        for j in enc.first_subword:
            if j < 0:
                rows.append((-1, -1))
                continue
            k = owner[j]
            own = needed.setdefault((i, k), [])
            rows.append((k, len(own)))
            own.append(j - spans[k][0] + 1)
        where.append(rows)
    run = forward or model
    was_training = model.training
    if was_training:  # eval() walks every submodule: ~2 ms a call, paid per document before
        model.eval()
    use_amp = device.startswith("cuda")

    def run_batch(batch: tuple[int, list]) -> tuple[list, list[list[int]], torch.Tensor]:
        L, chunk = batch
        ids = torch.zeros((len(chunk), L), dtype=torch.long)
        mask = torch.zeros((len(chunk), L), dtype=torch.long)
        feats = torch.zeros((len(chunk), L, 3), dtype=torch.long)
        wanted = [needed.get((i, k), []) for i, k, _ in chunk]
        for r, (_, _, w) in enumerate(chunk):
            n = len(w.input_ids)
            ids[r, :n] = torch.tensor(w.input_ids)
            mask[r, :n] = 1
            feats[r, :n] = torch.tensor(w.features)
        ids, mask, feats, positions = ids.to(device), mask.to(device), feats.to(device), padded_positions(wanted).to(device)
        with torch.inference_mode(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_amp):
            logits = run(ids, mask, feats, positions=positions)
            return chunk, wanted, torch.softmax(logits.float(), dim=-1).round(decimals=PROB_DECIMALS).cpu()

    if by_length:
        batches = bucketed(items, lambda item: len(item[2].input_ids), max(1, batch_size), batch_tokens)
    else:
        batches = _in_order(items, max(1, batch_size))
    out_rows: dict[tuple[int, int], torch.Tensor] = {}
    try:
        for chunk, wanted, probs in map_batches(run_batch, batches, device, threads):
            for r, (i, k, _) in enumerate(chunk):
                out_rows[(i, k)] = probs[r, : len(wanted[r])]  # a doubled lone row: same key
    finally:
        if was_training:
            model.train()
    return [[out_rows[(i, k)][r].tolist() if k >= 0 else None for k, r in rows] for i, rows in enumerate(where)]


def padded_positions(wanted: Sequence[Sequence[int]]):
    """One row of positions per window, padded with 0 ([CLS], whose outputs are dropped) to
    a multiple of :data:`BUCKET`: CPU attention takes another code path for the last 1-3
    queries of a block of 32 (measured: those rows differ in the last bits), so an unrounded
    count would tie a row's result to its batch partners' counts."""
    import torch

    out = torch.zeros((len(wanted), -(-max(1, *map(len, wanted)) // BUCKET) * BUCKET), dtype=torch.long)
    for r, row in enumerate(wanted):
        out[r, : len(row)] = torch.tensor(row, dtype=torch.long)
    return out


def map_batches(fn: Callable[[T], R], batches: Iterable[T], device: str, threads: int | None = None) -> list[R]:
    """``fn`` of every batch, in order; on CPU, ``threads`` batches at a time (default: torch's
    thread count), each on one core.

    Why: on the 2-core machine two batches side by side, one thread each, ran the NER forward
    pass 1.0-1.1x as fast as one batch at a time on two threads in full bench_ner runs and
    1.3-1.5x in probes while other processes shared the cores: threads that synchronise at
    every operation suffer most when a core is taken away. A batch's result on one thread
    equals its result on two to float precision (bitwise on the AVX2 machine; the
    partner-independence tests run through here), so this changes speed only. Each batch must be independent of the others; ``fn`` runs on worker
    threads, so it enters ``torch.inference_mode`` itself (a per-thread setting).

    A lone batch runs in the caller's thread on all of torch's threads: nothing could run
    beside it (a call over three paragraphs, one batch: 117 vs 155 ms on one core). Starting
    the costliest batches first did not pay: pipeline-sized calls ran equally fast (0.995x,
    10 interleaved passes), the batches being packed to about equal size already.
    """
    import torch

    n = threads if threads is not None else torch.get_num_threads()
    batches = list(batches)
    if device != "cpu" or n <= 1 or len(batches) <= 1:
        return [fn(b) for b in batches]
    return list(_pool(n).map(fn, batches))


#: Worker threads by (process, count): a pool inherited through fork has no threads behind it.
_POOLS: dict[tuple[int, int], ThreadPoolExecutor] = {}


def _pool(n: int) -> ThreadPoolExecutor:
    key = (os.getpid(), n)
    if key not in _POOLS:
        _POOLS[key] = ThreadPoolExecutor(n, thread_name_prefix="lit-batch", initializer=_one_thread)
    return _POOLS[key]


def _one_thread() -> None:
    import torch

    torch.set_num_threads(1)


def _in_order(items: list, batch_size: int) -> Iterator[tuple[int, list]]:
    """``(padded length, items)`` batches in text order, as a plain loop would make them."""
    for b in range(0, len(items), batch_size):
        chunk = items[b : b + batch_size]
        yield max(len(w.input_ids) for _, _, w in chunk), chunk


def bucketed(
    items: Sequence[T], length: Callable[[T], int], batch_size: int, batch_tokens: int | None = None
) -> Iterator[tuple[int, list[T]]]:
    """``(padded length, items)`` batches: windows of one length bucket each, in bucket order,
    at most ``batch_size`` per batch (and at most ``batch_tokens`` padded subwords, when given),
    and never a single row (a lone window is doubled). ``length`` gives a window's length.

    Shared with the relation model, whose paragraphs batch across documents the same way."""
    buckets: dict[int, list[T]] = {}
    for item in items:
        buckets.setdefault(-(-length(item) // BUCKET) * BUCKET, []).append(item)
    for padded in sorted(buckets):
        members = buckets[padded]
        size = max(1, batch_size if batch_tokens is None else min(batch_size, max(2, batch_tokens // padded)))
        for b in range(0, len(members), size):
            chunk = members[b : b + size]
            yield padded, chunk if len(chunk) > 1 else chunk * 2
