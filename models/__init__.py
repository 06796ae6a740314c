"""NER and relation models: corpus converters, architecture, training, evaluation,
inference, and the registry of trained models committed with the project."""
