"""Named-entity recognition for chemistry text: compounds, properties, values, conditions.

The model is a small trainable part (LoRA adapters, a casing embedding and a BIO head) on
top of a frozen base encoder that loads from an installed package, so the artifact that
lands in ``models/trained/ner-<version>/`` stays a few MiB. Modules:

- :mod:`.config` training/model configuration and its JSON/TOML loading
- :mod:`.features` per-subword casing/shape features recovered from the original text
- :mod:`.words` splitting raw text into words the way the corpora tokenise
- :mod:`.windows` long texts to overlapping subword windows, word-level label alignment
- :mod:`.model` the network and its ``save_pretrained``/``from_pretrained``
- :mod:`.decode` tag probabilities to well-formed character spans
- :mod:`.evaluate` entity-level precision/recall/F1 (exact span and type)
- :mod:`.train` the training loop (CPU or CUDA, wall-clock budget, best-on-validation)
- :mod:`.infer` :class:`~lit.models.ner.infer.NerTagger`, what the pipeline calls

Nothing here imports torch at package import time; import the submodules you need.
"""
