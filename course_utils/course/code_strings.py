"""The texts of a lesson's code that its outputs show: printed lines, titles, labels, legends.

A code message is a string literal of a code cell that holds a word, other than a docstring, a byte
string, an address, a path or a snake_case or dotted name (`"val_accuracy"`, `"lesson05.fit"`). Its text is
the literal's body as written, an f-string's `{fields}` included. A translation is another body for the
same literal: it must keep every field's expression and format (a dropped `,` grouping aside: Spanish does
not group thousands with commas) and stay a valid literal.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

CONTEXT = "code"  # the message context of every code text in a lesson's catalogue
_PREFIX = re.compile(r"[rRbBuUfF]*")
_FIELD = re.compile(r"\{\{|\}\}|\{(?:[^{}]|\{[^{}]*\})*\}")
_NAME = re.compile(r"[\w.]*[_.][\w.]*|[\w.\-]*/[\w./\-]*")  # snake_case, dotted names, paths


@dataclass(frozen=True)
class Literal:
    """A string literal of a cell: `start`/`end` are the offsets of its body in the cell's source."""

    start: int
    end: int
    prefix: str
    quote: str
    body: str


def masked_magics(source: str) -> str:
    """source with IPython's `%magic` and `!shell` lines turned into comments (same length)."""
    lines = []
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped[:1] in ("%", "!"):
            line = line[: len(line) - len(stripped)] + "#" + stripped[1:]
        lines.append(line)
    return "\n".join(lines)


def literals(source: str) -> list[Literal]:
    """Every string literal of source that is not a docstring (a string standing alone on its line)."""
    starts = [0]
    for line in source.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    found, line_tokens = [], []
    skipped = {tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(masked_magics(source)).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    for token in tokens:
        if token.type in skipped:
            continue
        if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            if not all(t.type == tokenize.STRING for t in line_tokens):
                found += [_literal(t, starts) for t in line_tokens if t.type == tokenize.STRING]
            line_tokens = []
        else:
            line_tokens.append(token)
    return [literal for literal in found if literal is not None]


def _literal(token: tokenize.TokenInfo, starts: list[int]) -> Literal | None:
    text = token.string
    prefix = _PREFIX.match(text).group()
    if "b" in prefix.lower():
        return None
    rest = text[len(prefix) :]
    quote = rest[:3] if rest[:3] in ('"""', "'''") else rest[:1]
    start = starts[token.start[0] - 1] + token.start[1] + len(prefix) + len(quote)
    end = starts[token.end[0] - 1] + token.end[1] - len(quote)
    return Literal(start, end, prefix, quote, rest[len(quote) : -len(quote)])


def is_message(literal: Literal) -> bool:
    """True if the literal is text for the reader, not a name, key, path or address."""
    body = literal.body
    if "://" in body or "git+" in body:
        return False
    own, inner = _texts(literal)
    if not re.search(r"[A-Za-z]{2,}", own + " " + " ".join(inner)):
        return False
    own = own.strip()
    if " " not in own and not own.endswith(":") and not any(" " in text for text in inner):
        return bool(re.fullmatch(r"[A-Za-z]+", own) or (not own and inner)) and not _NAME.fullmatch(own)
    return not _NAME.fullmatch(own)


def _texts(literal: Literal) -> tuple[str, list[str]]:
    """The literal's own text (an f-string's without its fields) and the strings inside its fields."""
    if "f" not in literal.prefix.lower():
        return literal.body, []
    try:
        node = ast.parse(literal.prefix + literal.quote + literal.body + literal.quote, mode="eval").body
    except SyntaxError:
        return _FIELD.sub("", literal.body), []
    own = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    inner = [text for v in node.values if isinstance(v, ast.FormattedValue) for text in _field_texts(v.value)]
    return own, inner


def messages(source: str) -> list[str]:
    """The code messages of a cell's source, in order (repeats kept)."""
    return [literal.body for literal in literals(source) if is_message(literal)]


def replaced(source: str, translation: Callable[[str], str]) -> str:
    """source with each code message's body replaced by `translation(body)`."""
    pieces, position = [], 0
    for literal in literals(source):
        if is_message(literal):
            pieces += [source[position : literal.start], translation(literal.body)]
            position = literal.end
    return "".join(pieces) + source[position:]


def problem(english: str, translated: str, prefix: str = "f", quote: str = '"') -> str | None:
    """Why `translated` cannot replace the body `english` of a literal (None when it can)."""
    try:
        new = ast.parse(prefix + quote + translated + quote, mode="eval").body
    except SyntaxError as error:
        return f"not a valid string literal ({error.msg})"
    old = ast.parse(prefix + quote + english + quote, mode="eval").body
    if _fields(new) != _fields(old):
        return (
            "its {fields} differ from the English ones (keep each expression and format; only a ',' may go)"
        )
    return None


def _fields(node) -> list[tuple[str, int, str]]:
    """The sorted (expression, conversion, format spec without `,`) of an f-string's fields ([] if plain)."""
    if not isinstance(node, ast.JoinedStr):
        return []
    fields = []
    for value in node.values:
        if isinstance(value, ast.FormattedValue):
            spec = _spec(value.format_spec)
            expression = ast.unparse(_without_texts(value.value))
            fields.append((expression, value.conversion, spec.replace(",", "")))
    return sorted(fields)


def _spec(node) -> str:
    """A field's format spec as written (`.4f`, `>{width}`), '' when it has none."""
    if node is None:
        return ""
    return "".join(
        v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}" for v in node.values
    )


def _field_texts(node) -> list[str]:
    """The texts of a field that is itself a string: `{'val. acc.':>9s}`, `{f'layer {i}':>9s}`, or a choice
    between strings, `{'yes' if nan else 'no'}`."""
    return [
        "".join(v.value for v in part.values if isinstance(v, ast.Constant))
        if isinstance(part, ast.JoinedStr)
        else part.value
        for part in _text_parts(node)
    ]


def _text_parts(node) -> list:
    """The string constants and f-strings that make up a field's value (none if it is not text)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) or isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.IfExp):
        return _text_parts(node.body) + _text_parts(node.orelse)
    return []


def _without_texts(node):
    """A copy of a field's expression with the texts of its string parts blanked (they may be translated)."""
    node = ast.parse(ast.unparse(node), mode="eval").body
    for part in _text_parts(node):
        for constant in part.values if isinstance(part, ast.JoinedStr) else [part]:
            if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                constant.value = ""
    return node
