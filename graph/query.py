"""The read-only guard both stores run before any ``query()``.

Researchers send arbitrary Cypher through ``lit query`` and ``GraphStore.query``. This guard is
the first of three layers, and the only one that can stop a query from reaching *files*
(LadybugDB runs ``LOAD FROM '/etc/passwd'``, ``COPY (...) TO 'x.csv'`` and ``EXPORT DATABASE``
even on a read-only database, and has no setting that turns file access off; ArcadeDB runs
``LOAD CSV`` on the server's files). The other layers are the engines' own: the embedded store
runs every query on a read-only database (:mod:`lit.graph.embedded`), the Neo4j store in a READ
transaction that is always rolled back and refused if the server counted a change
(:mod:`lit.graph.neo4j_store`).

The text is cut into tokens the way the engines read it (:mod:`lit.graph.cypher_tokens`:
comments dropped, strings and backticked names kept whole; text they might read differently is
refused), so a keyword is a keyword wherever a comment, string or line break puts it. Then:

* it must be exactly one statement, starting with a read clause (``READ_CLAUSES``);
* no bare word may be a write, file or control keyword (``REFUSED``), unless the tokens around
  it make it a name: a property (``n.set``), a label or type (``:Set``) or a map key
  (``{set: 1}``); ``$set`` is a parameter token and a backticked ```set``` a name token;
* ``CALL`` must open a subquery (``CALL { ... }``, whose words are checked like the rest) or
  call a procedure on the read-only list (``READ_PROCEDURES``) with ``(``.

It is deliberately conservative: a read query that uses a refused keyword as a bare variable
name, or non-ASCII outside strings and comments, is refused too (rename it, or backtick it).
"""

from __future__ import annotations

from lit.errors import ReadOnlyQueryError
from lit.graph.cypher_tokens import CypherLexError, Token, tokenize

#: Clauses a query may start with. Everything after them is checked word by word.
READ_CLAUSES: frozenset[str] = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"})

_WRITES = (
    "writes to the graph",
    {"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "RENAME",
     "FOREACH", "INSERT", "NEXTVAL"},
)  # fmt: skip
_OUTSIDE = (
    "reaches files, extensions or other databases",
    {"LOAD", "COPY", "EXPORT", "IMPORT", "INSTALL", "UNINSTALL", "ATTACH", "USE",
     # LadybugDB's file-reading table functions
     "READ_CSV_PARALLEL", "READ_CSV_SERIAL", "READ_PARQUET", "READ_NPY", "READ_PANDAS",
     "FILE_INFO", "COPY_CSV", "COPY_PARQUET"},
)  # fmt: skip
_CONTROL = (
    "controls transactions, settings or the server",
    {"BEGIN", "COMMIT", "ROLLBACK", "TRANSACTION", "TRANSACTIONS", "CHECKPOINT", "GRANT",
     "DENY", "REVOKE", "TERMINATE", "SHOW", "SETSEED"},
)  # fmt: skip
#: Keyword -> why it is refused: clauses of LadybugDB, Neo4j 5 and Cypher 25 that change data,
#: schema, settings or transactions, or reach outside the graph, and functions that do. Commands
#: that can only open a statement (``START DATABASE``, ``COMMENT ON``, ``CREATE USER``) are
#: refused by ``READ_CLAUSES`` already.
REFUSED: dict[str, str] = {word: why for why, words in (_WRITES, _OUTSIDE, _CONTROL) for word in words}

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

_NAME_BEFORE_DOT = ("word", "name", "param")


def refusal(what: str, target: str | None) -> ReadOnlyQueryError:
    where = f" on {target}" if target else ""
    return ReadOnlyQueryError(
        f"query refused{where}: {what}; the query path only reads the graph "
        "(facts are written by `lit extract --graph` or `lit ingest`)"
    )


def first_line(message: str) -> str:
    """An engine's error as one line: LadybugDB and Neo4j append the query and a caret line."""
    lines = [line.strip() for line in message.strip().splitlines()]
    return lines[0] if lines else "(no message)"


def _at(tokens: list[Token], i: int) -> Token | None:
    return tokens[i] if 0 <= i < len(tokens) else None


def _is_punct(token: Token | None, text: str) -> bool:
    return token is not None and token.kind == "punct" and token.text == text


def _names_something(tokens: list[Token], i: int) -> bool:
    """Whether the word at ``i`` is a property key, label, relationship type or map key, where
    the grammar of both engines allows no clause."""
    prev, before, after = _at(tokens, i - 1), _at(tokens, i - 2), _at(tokens, i + 1)
    if _is_punct(prev, ":"):
        return not _is_punct(before, ":")  # ``x::T`` is a cast, not a label
    if _is_punct(prev, "."):
        return before is not None and (before.kind in _NAME_BEFORE_DOT or before.text in (")", "]", "}"))
    return _is_punct(after, ":") and (_is_punct(prev, "{") or _is_punct(prev, ","))


def _check_call(tokens: list[Token], i: int, target: str | None) -> None:
    """``CALL { ... }`` or ``CALL known.procedure(``; anything else is refused."""
    j = i + 1
    if _is_punct(_at(tokens, j), "{"):
        return  # a subquery: its clauses are checked like any others
    parts: list[str] = []
    while (token := _at(tokens, j)) is not None and token.kind == "word":
        parts.append(token.text)
        j += 1
        if not _is_punct(_at(tokens, j), "."):
            break
        j += 1
    ends_in_name = parts and tokens[j - 1].kind == "word"
    proc = ".".join(parts) or getattr(_at(tokens, j), "text", "")
    if not (ends_in_name and _is_punct(_at(tokens, j), "(") and proc.lower() in READ_PROCEDURES):
        raise refusal(f"`CALL {proc}` is not a subquery or a procedure known to be read-only", target)


def _statements(tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for token in tokens:
        if _is_punct(token, ";"):
            out.append([])
        else:
            out[-1].append(token)
    return [s for s in out if s]


def check_read_only(cypher: str, target: str | None = None) -> None:
    """Raise :class:`ReadOnlyQueryError` unless ``cypher`` is one statement that only reads.

    ``target`` (the store's path or URI) only makes the message say which graph was protected.
    """
    try:
        tokens = tokenize(cypher)
    except CypherLexError as exc:
        raise refusal(f"the text cannot be checked safely: {exc}", target) from None
    for i, token in enumerate(tokens):
        if token.kind != "word" or _names_something(tokens, i):
            continue
        upper = token.text.upper()
        if upper in REFUSED:
            raise refusal(f"`{upper}` {REFUSED[upper]}", target)
        if upper == "CALL":
            _check_call(tokens, i, target)
    statements = _statements(tokens)
    if len(statements) != 1:
        raise refusal(f"{len(statements) or 'no'} statements; send exactly one", target)
    first = statements[0][0]
    if first.kind != "word" or first.text.upper() not in READ_CLAUSES:
        raise refusal(
            f"`{first.text}` does not start a read query (start with MATCH, OPTIONAL MATCH, "
            "WITH, UNWIND, RETURN or CALL)",
            target,
        )
