"""Relation extraction: link compound/property/condition mentions to values (see :mod:`.model`)."""
