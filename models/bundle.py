"""The default model bundle: which trained artifacts a plain ``lit extract`` runs.

Named here, in one place, and versioned with the package, so that what ``lit extract``
computes is decided by the release, not by whatever happens to sit in ``models/trained/``:
a newly trained artifact (or a stray copy) is used only when asked for by path
(``--model``), or once this table names it. Adopting a new model is a one-line change
reviewed with its card.
"""

from __future__ import annotations

from pathlib import Path

from lit.errors import ModelError

#: Where committed artifacts live: ``models/trained/<name>/``.
TRAINED_DIR = Path(__file__).resolve().parent / "trained"

#: kind -> artifact folder name under :data:`TRAINED_DIR`, and the file each artifact holds.
DEFAULT_BUNDLE: dict[str, str] = {"ner": "ner-v2", "re": "re-v3", "confidence": "conf-v5"}
_FILES = {"ner": "config.json", "re": "config.json", "confidence": "calibration.json"}
_HOW = {
    "ner": "train one with `lit train ner`",
    "re": "train one with `lit train re`",
    "confidence": "fit one with `lit train confidence`",
}


def default_artifact(kind: str, root: Path | None = None) -> Path:
    """The folder of the bundle's ``kind`` model ("ner", "re" or "confidence").

    Raises ModelError when the bundle names none or its folder lacks the artifact's file;
    callers that can run without the model (rules only) catch it. ``root``: another
    artifacts folder (default :data:`TRAINED_DIR`).
    """
    path = (root or TRAINED_DIR) / DEFAULT_BUNDLE[kind]
    if not (path / _FILES[kind]).is_file():
        raise ModelError(f"{path}: the default {kind} model is missing ({_FILES[kind]}); {_HOW[kind]}")
    return path
