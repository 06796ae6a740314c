"""Cypher recipes researchers start from, as named constants so tests run the exact text the
README shows (``graph/README.md`` explains each one).

Every recipe runs unchanged on the embedded store (LadybugDB) and on Neo4j 5, which limits
the dialect to what both accept: parameters instead of literals; no list comprehensions or
pattern predicates (LadybugDB has neither); no ``null`` parameters (LadybugDB types an
unbound ``null`` as BOOL, so a recipe never relies on ``$x IS NULL``); ``start``/``end`` are
keywords in LadybugDB, so those properties are written ``m.`start``` and ``m.`end```; every
returned column is named with ``AS``. Superseded measurements (older model versions) are left
out unless a recipe is about them.
"""

from __future__ import annotations

#: All current measurements of one property, with their sources. Params: ``property``.
MEASUREMENTS_OF_PROPERTY = """
MATCH (c:Compound)-[:HAS_MEASUREMENT]->(m:Measurement)-[:OF_PROPERTY]->(p:Property {name: $property}),
      (m)-[:FROM_DOCUMENT]->(d:Document)
WHERE m.superseded = false
RETURN c.key AS compound, m.value AS value, m.value_max AS value_max, m.unit AS unit,
       m.confidence AS confidence, d.doi AS doi, d.title AS title, d.year AS year,
       m.sentence AS sentence, m.id AS measurement
ORDER BY compound, value, measurement
""".strip()

#: Compounds with the most data: measurements, distinct properties and papers.
#: Params: ``limit``.
COMPOUNDS_WITH_MOST_DATA = """
MATCH (c:Compound)-[:HAS_MEASUREMENT]->(m:Measurement)-[:OF_PROPERTY]->(p:Property),
      (m)-[:FROM_DOCUMENT]->(d:Document)
WHERE m.superseded = false
RETURN c.key AS compound, count(DISTINCT m.id) AS measurements,
       count(DISTINCT p.name) AS properties, count(DISTINCT d.id) AS documents
ORDER BY measurements DESC, compound
LIMIT $limit
""".strip()

#: Conflicting values for one compound: per property and unit, the spread between the lowest
#: and highest reported value when it is above a tolerance (in that unit).
#: Params: ``compound`` (a Compound key), ``tolerance``.
CONFLICTING_VALUES = """
MATCH (c:Compound {key: $compound})-[:HAS_MEASUREMENT]->(m:Measurement)-[:OF_PROPERTY]->(p:Property),
      (m)-[:FROM_DOCUMENT]->(d:Document)
WHERE m.superseded = false
WITH p.name AS property, m.unit AS unit, min(m.value) AS low, max(m.value) AS high,
     count(m) AS measurements, collect(DISTINCT coalesce(d.doi, d.id)) AS sources
WHERE high - low > $tolerance
RETURN property, unit, low, high, high - low AS spread, measurements, sources
ORDER BY spread DESC, property
""".strip()

#: Every fact from one paper, by DOI (DOIs are case-insensitive), in reading order, with
#: the evidence span. Superseded ones are included and flagged. Params: ``doi``.
FACTS_FROM_PAPER = """
MATCH (d:Document)<-[:FROM_DOCUMENT]-(m:Measurement)-[:OF_PROPERTY]->(p:Property),
      (c:Compound)-[:HAS_MEASUREMENT]->(m)
WHERE toLower(d.doi) = toLower($doi)
RETURN c.key AS compound, m.compound AS compound_text, p.name AS property, m.value AS value,
       m.value_max AS value_max, m.unit AS unit, m.confidence AS confidence, m.model AS model,
       m.superseded AS superseded, m.section AS section, m.sentence AS sentence,
       m.`start` AS evidence_start, m.`end` AS evidence_end, m.id AS measurement
ORDER BY evidence_start, measurement
""".strip()

#: What the last ingest changed: measurements the latest ExtractionRun (by start time)
#: extracted for the first time (``added``), and measurements of the documents it re-read
#: that are now superseded by a newer model (``superseded``; this includes ones an earlier
#: run had already superseded). No params.
LAST_INGEST_CHANGES = """
MATCH (r:ExtractionRun)
WITH r ORDER BY r.started DESC LIMIT 1
MATCH (r)<-[:EXTRACTED_BY]-(m:Measurement)
OPTIONAL MATCH (m)-[:EXTRACTED_BY]->(o:ExtractionRun)
WHERE o.started < r.started
WITH r, m, count(o) AS earlier
WHERE earlier = 0
MATCH (c:Compound)-[:HAS_MEASUREMENT]->(m)-[:OF_PROPERTY]->(p:Property),
      (m)-[:FROM_DOCUMENT]->(d:Document)
RETURN r.id AS run, 'added' AS change, c.key AS compound, p.name AS property,
       m.value AS value, m.unit AS unit, m.model AS model, coalesce(d.doi, d.id) AS source,
       m.id AS measurement
UNION ALL
MATCH (r:ExtractionRun)
WITH r ORDER BY r.started DESC LIMIT 1
MATCH (r)<-[:EXTRACTED_BY]-(:Measurement)-[:FROM_DOCUMENT]->(d:Document)
WITH DISTINCT r, d
MATCH (c:Compound)-[:HAS_MEASUREMENT]->(m:Measurement)-[:FROM_DOCUMENT]->(d),
      (m)-[:OF_PROPERTY]->(p:Property)
WHERE m.superseded = true
RETURN r.id AS run, 'superseded' AS change, c.key AS compound, p.name AS property,
       m.value AS value, m.unit AS unit, m.model AS model, coalesce(d.doi, d.id) AS source,
       m.id AS measurement
""".strip()

#: Name -> (Cypher, description), in the order the README lists them.
RECIPES: dict[str, tuple[str, str]] = {
    "measurements_of_property": (MEASUREMENTS_OF_PROPERTY, "all measurements of a property, with sources"),
    "compounds_with_most_data": (COMPOUNDS_WITH_MOST_DATA, "compounds with the most data"),
    "conflicting_values": (CONFLICTING_VALUES, "conflicting values for one compound"),
    "facts_from_paper": (FACTS_FROM_PAPER, "every fact from one paper, by DOI"),
    "last_ingest_changes": (LAST_INGEST_CHANGES, "what the last ingest changed"),
}
