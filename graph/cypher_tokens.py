"""Cypher text as tokens, read the way the engines' lexers read it: what the query guard checks.

A guard that looks at raw text can be told a keyword is something else (a comment ending in
``.`` once hid the ``LOAD`` on the next line from it). Here the text is cut into tokens first,
with the rules LadybugDB (Kùzu's grammar) and Neo4j share: ``//`` and ``/* */`` comments are
dropped, ``'...'`` and ``"..."`` strings end at an unescaped quote (a backslash escapes the
next character), ```name``` is a name whatever it spells (a doubled backtick is a backtick),
``$name`` is a parameter. The guard then only has to look at ``word`` tokens.

Where the engines could read a text differently from this module, it refuses the text instead
of guessing (:class:`CypherLexError`), so the guard never sees *less* code than the engine:

* a line comment also ends at ``\\r``, ``\\v``, ``\\f`` and the Unicode line separators
  (LadybugDB ends it at ``\\n``/``\\r`` only): whatever follows is checked as code;
* block comments do not nest (as in both engines); an unterminated string, name or comment is
  refused, and so is an escape neither engine defines (``'\\q'``);
* a ``\\u`` escape for an ASCII character or a line break is refused wherever it stands: Neo4j's
  parser decodes them Java-style before reading tokens, even inside backticked names
  (neo4j/neo4j#12901), so ``//\\u000a`` could end a comment there (``\\u0027`` a string,
  ``\\u0060`` a name); a backslash outside a string is refused too;
* a number must not run into a name: a lexer with hex literals (Neo4j and ArcadeDB have them)
  may read ``0xfSET`` as ``0xf`` and the keyword ``SET``, where this one would see ``0`` and a
  name ``xfSET``;
* outside strings, names and comments only ASCII is accepted: LadybugDB treats a no-break space
  or U+2028 as white space and Unicode letters as parts of names, and a lookalike letter must
  not be able to split or hide a keyword. Non-ASCII text inside strings and comments is fine;
  a name in another script can be written in backticks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class CypherLexError(ValueError):
    """The text cannot be cut into tokens the way every engine would cut it."""


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` is word, name (backticked), string, number, param or punct."""

    kind: str
    text: str
    pos: int  # character offset in the query


_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_ESCAPE = re.compile(r"\\(?:[\\'\"bfnrt]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    rf"""
      (?P<space>[ \t\n\r\f\v]+)
    | (?P<comment>//[^{_LINE_BREAKS}]*|/\*.*?\*/)
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<name>(?:`[^`]*`)+)
    | (?P<param>\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|(?:`[^`]*`)+))
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<punct>(?!/\*)[!#$%&()*+,\-./:;<=>?@\[\]^{{|}}~])
    """,
    re.VERBOSE | re.DOTALL,
)
#: A ``\\uXXXX`` escape anywhere in the text. Neo4j's JavaCC-based parsers decode these
#: before reading tokens, as Java does (even inside backticked names and comments), so one that
#: stands for a quote, backtick, backslash or line break could end a string, name or comment
#: there and not here.
_UNICODE_ESCAPE = re.compile(r"\\u+([0-9A-Fa-f]{4})")
_UNTERMINATED = {"'": "string", '"': "string", "`": "backticked name", "/*": "block comment"}


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` without white space and comments; raises :class:`CypherLexError`
    where an engine might read the text differently (see the module docstring)."""
    for escape in _UNICODE_ESCAPE.finditer(text):
        char = chr(int(escape.group(1), 16))
        if char < "\x80" or char in _LINE_BREAKS:
            raise CypherLexError(
                f"escape {escape.group()!r} at offset {escape.start()} stands for an ASCII "
                "character or a line break (write the character itself)"
            )
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise CypherLexError(_unreadable(text, pos))
        kind = match.lastgroup
        assert kind is not None
        if kind == "string":
            for escape in re.finditer(r"\\.", match.group(), re.DOTALL):
                if not _ESCAPE.match(match.group(), escape.start()):
                    at = pos + escape.start()
                    raise CypherLexError(f"unknown escape {escape.group()!r} in a string at offset {at}")
        if kind == "number" and re.match(r"[A-Za-z0-9_]", text[match.end() : match.end() + 1]):
            raise CypherLexError(
                f"number {match.group()!r} at offset {pos} runs into a name (hex, octal and "
                "1_000 literals are not read here; put a space between number and name)"
            )
        if kind not in ("space", "comment"):
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    return tokens


def _unreadable(text: str, pos: int) -> str:
    for opener, what in _UNTERMINATED.items():
        if text.startswith(opener, pos):
            return f"unterminated {what} at offset {pos}"
    char = text[pos]
    return (
        f"character {char!r} (U+{ord(char):04X}) at offset {pos} outside a string, comment or "
        "backticked name (only printable ASCII and white space are read there)"
    )
