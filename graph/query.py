"""The read-only guard both stores run before any ``query()``.

Researchers send arbitrary Cypher through ``lit query`` and ``GraphStore.query``. The engines
have their own read-only modes (LadybugDB ``read_only=True``, Neo4j read sessions), but a store
opened for writing (the nightly ingest, a notebook) must not be modifiable through the query
path either, and a refusal should say *which* clause was refused rather than surface an engine
error. So the text is checked here first: comments, string literals and backticked names are
blanked out (a sentence that says "we CREATE a film" is data, not a clause), then any clause
keyword that writes, or a ``CALL`` of a procedure not known to be read-only, is refused with a
:class:`~lit.errors.ReadOnlyQueryError`.

The check is lexical and deliberately conservative: it may refuse an odd read query that uses
a write keyword as a bare variable name (rename the variable), never the other way round.
"""

from __future__ import annotations

import re

from lit.errors import ReadOnlyQueryError

#: Clause keywords that change data, schema, settings or transactions in LadybugDB or Neo4j.
WRITE_KEYWORDS: frozenset[str] = frozenset(
    {
        "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "COPY", "LOAD",
        "ALTER", "INSTALL", "UNINSTALL", "ATTACH", "EXPORT", "IMPORT", "CHECKPOINT",
        "BEGIN", "COMMIT", "ROLLBACK", "FOREACH", "GRANT", "DENY", "REVOKE", "RENAME",
        "TERMINATE",
    }
)  # fmt: skip

#: Procedures that only read (schema and catalogue introspection). Anything else after CALL
#: is refused: LadybugDB's ``CALL threads=4`` changes settings, ``CALL create_fts_index(...)``
#: writes, Neo4j plugins (APOC) write through CALL, and the guard cannot know every plugin.
READ_PROCEDURES: frozenset[str] = frozenset(
    {
        # LadybugDB / Kùzu
        "show_tables", "table_info", "show_connection", "current_setting", "db_version",
        "show_functions", "show_indexes", "show_attached_databases", "show_warnings",
        "query_fts_index", "query_vector_index",
        # Neo4j 5
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "db.indexes",
        "db.constraints", "dbms.components", "db.info", "db.ping",
    }
)  # fmt: skip

# One pass over the text: comments, strings and backticked names are matched first so that
# keywords inside them are never seen; words are checked only outside them.
_TOKEN = re.compile(
    r"""
      (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    | (?P<quoted>`[^`]*(?:`|\Z))
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE | re.DOTALL,
)
_PROC_NAME = re.compile(r"\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)")


def _refuse(what: str, target: str | None) -> ReadOnlyQueryError:
    where = f" on {target}" if target else ""
    return ReadOnlyQueryError(
        f"query refused{where}: {what}; the query path only reads the graph "
        "(facts are written by `lit extract --graph` or `lit ingest`)"
    )


def check_read_only(cypher: str, target: str | None = None) -> None:
    """Raise :class:`ReadOnlyQueryError` if ``cypher`` could write; return None if it only reads.

    ``target`` (the store's path or URI) only makes the message say which graph was protected.
    """
    for match in _TOKEN.finditer(cypher):
        word = match.group("word")
        if word is None:
            continue
        start = match.start()
        before = cypher[:start].rstrip()
        after = cypher[match.end() :].lstrip()
        # ``n.set`` is a property, ``:Set`` a label, ``$set`` a parameter, ``{set: 1}`` a map
        # key: none of them is a clause.
        if before.endswith((".", ":", "$")) or (after.startswith(":") and not after.startswith("::")):
            continue
        upper = word.upper()
        if upper in WRITE_KEYWORDS:
            raise _refuse(f"`{upper}` writes to the graph", target)
        if upper == "CALL":
            rest = cypher[match.end() :]
            if rest.lstrip().startswith("{"):
                continue  # a subquery: its clauses are checked like any others
            name = _PROC_NAME.match(rest)
            proc = re.sub(r"\s+", "", name.group("name")) if name else "?"
            if proc.lower() not in READ_PROCEDURES:
                raise _refuse(f"`CALL {proc}` is not a procedure known to be read-only", target)
