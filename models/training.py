"""What a training run reports, shared by the NER and relation trainers.

Both trainers select the checkpoint with the best validation score and write the same
facts about the run into their model cards; keeping the record in one place keeps the two
cards' training sections the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class TrainResult:
    """What a run did: enough to write the model card and to judge the run.

    ``best_val`` is the selection score (NER: mean validation micro-F1; relations:
    validation tuple F1); :meth:`run_info` names it for the card.
    """

    best_val: float
    best_step: int
    steps: int
    epochs_done: float
    train_tokens: int
    seconds: float
    device: str
    stopped_by: str
    history: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    val_scores: dict[str, Any] = field(default_factory=dict)

    def run_info(self, best_val_key: str, revision: str) -> dict[str, Any]:
        """The training facts a model card and ``training_log.json`` record."""
        from lit.models.ner.card import hardware

        return {
            "git_revision": revision,
            "hardware": hardware(self.device),
            "seconds": self.seconds,
            "steps": self.steps,
            "epochs_done": self.epochs_done,
            "train_tokens": self.train_tokens,
            "stopped_by": self.stopped_by,
            best_val_key: self.best_val,
            "best_step": self.best_step,
            "data": self.data,
        }
