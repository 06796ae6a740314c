"""Deterministic splits for corpora that ship without one.

A document goes to a split by the SHA-256 of its id, not by a random generator, so the
split is the same on every machine and Python version, and adding a document never moves
another one.
"""

from __future__ import annotations

import hashlib


def hash_bucket(doc_id: str, buckets: int = 100) -> int:
    """The bucket (0..buckets-1) of ``doc_id``: the first 8 bytes of its SHA-256, modulo."""
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % buckets


def hash_split(doc_id: str, validation_percent: int, test_percent: int = 0) -> str:
    """``"validation"``, ``"test"`` or ``"train"`` for ``doc_id`` by its hash bucket.

    Buckets ``[0, validation_percent)`` are validation, the next ``test_percent`` are test,
    the rest train.
    """
    bucket = hash_bucket(doc_id)
    if bucket < validation_percent:
        return "validation"
    if bucket < validation_percent + test_percent:
        return "test"
    return "train"
