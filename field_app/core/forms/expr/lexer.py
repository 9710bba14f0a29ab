"""Cut expression text into tokens, each remembering its 0-based offset in the source.

Lexical rules:

* whitespace (any Unicode space, including the full-width space of Chinese input methods)
  separates tokens and is otherwise ignored;
* numbers are ``12`` (an int) or ``3.5`` (a float); there is no exponent form, no leading
  ``.5`` and no sign (``-3`` is the unary minus applied to ``3``);
* strings are quoted with ``'`` or ``"``; the quote itself is written by doubling it
  (``'it''s'``); there are no backslash escapes, so ``'C:\\x'`` means what it shows;
* ``${name}`` refers to a question, ``name`` being ``[A-Za-z_][A-Za-z0-9_]*``;
* ``and``, ``or``, ``not``, ``div``, ``mod`` are keywords (lowercase only); any other name
  must be a function name followed by ``(``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from .diagnostics import syntax_error
from .limits import MAX_INTEGER_BITS


class TokenKind(Enum):
    NUMBER = "number"
    STRING = "string"
    REFERENCE = "reference"
    NAME = "name"
    KEYWORD = "keyword"
    OPERATOR = "operator"
    DOT = "dot"
    LEFT_PAREN = "("
    RIGHT_PAREN = ")"
    COMMA = ","
    END = "end"


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # exactly as written in the source
    position: int  # 0-based offset of the first character
    value: int | float | str | None = None  # a number's value, a string's content, a reference's name


KEYWORDS = frozenset({"and", "or", "not", "div", "mod"})

# Two-character operators first so that "<=" is not read as "<" followed by "=".
OPERATORS = ("==", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/")

_PUNCTUATION = {
    ".": TokenKind.DOT,
    "(": TokenKind.LEFT_PAREN,
    ")": TokenKind.RIGHT_PAREN,
    ",": TokenKind.COMMA,
}

# Chinese input methods easily produce these; name the ASCII character that was meant.
_FULL_WIDTH_LOOKALIKES = {
    "（": "(",
    "）": ")",
    "，": ",",
    "＝": "=",
    "＜": "<",
    "＞": ">",
    "＋": "+",
    "－": "-",
    "＊": "*",
    "／": "/",
    "。": ".",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "＄": "$",
}


def _is_name_start(char: str) -> bool:
    # ASCII only: question names are ASCII in XLSForm, and str.isalpha would admit any script.
    return char == "_" or ("a" <= char <= "z") or ("A" <= char <= "Z")


def _is_name_char(char: str) -> bool:
    return _is_name_start(char) or ("0" <= char <= "9")


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"  # str.isdigit would also admit "²" and other scripts' digits


def tokenize(source: str) -> list[Token]:
    """All tokens of ``source``, ending with one ``END`` token; raises ``expr.syntax``."""
    tokens: list[Token] = []
    offset = 0
    while offset < len(source):
        char = source[offset]
        if char.isspace():
            offset += 1
            continue
        token = _read_token(source, offset)
        tokens.append(token)
        offset += len(token.text)
    tokens.append(Token(TokenKind.END, "", len(source)))
    return tokens


def _read_token(source: str, offset: int) -> Token:
    char = source[offset]
    if _is_digit(char):
        return _read_number(source, offset)
    if char in "'\"":
        return _read_string(source, offset)
    if char == "$":
        return _read_reference(source, offset)
    if _is_name_start(char):
        end = offset
        while end < len(source) and _is_name_char(source[end]):
            end += 1
        word = source[offset:end]
        kind = TokenKind.KEYWORD if word in KEYWORDS else TokenKind.NAME
        return Token(kind, word, offset)
    for operator in OPERATORS:
        if source.startswith(operator, offset):
            return Token(TokenKind.OPERATOR, operator, offset)
    if char in _PUNCTUATION:
        return Token(_PUNCTUATION[char], char, offset)
    if char in _FULL_WIDTH_LOOKALIKES:
        meant = _FULL_WIDTH_LOOKALIKES[char]
        raise syntax_error(source, offset, f"unexpected character '{char}' (use '{meant}')")
    raise syntax_error(source, offset, f"unexpected character '{char}'")


def _read_number(source: str, offset: int) -> Token:
    end = offset
    while end < len(source) and _is_digit(source[end]):
        end += 1
    is_decimal = end + 1 < len(source) and source[end] == "." and _is_digit(source[end + 1])
    if is_decimal:
        end += 1
        while end < len(source) and _is_digit(source[end]):
            end += 1
    text = source[offset:end]
    value: int | float = float(text) if is_decimal else int(text)
    too_large = (
        not math.isfinite(value) if isinstance(value, float) else value.bit_length() > MAX_INTEGER_BITS
    )
    if too_large:
        raise syntax_error(source, offset, "number too large")
    return Token(TokenKind.NUMBER, text, offset, value)


def _read_string(source: str, offset: int) -> Token:
    quote = source[offset]
    pieces: list[str] = []
    start = offset + 1
    while True:
        end = source.find(quote, start)
        if end < 0:
            raise syntax_error(source, offset, "unterminated string")
        pieces.append(source[start:end])
        if source.startswith(quote, end + 1):  # a doubled quote stands for the quote itself
            pieces.append(quote)
            start = end + 2
            continue
        return Token(TokenKind.STRING, source[offset : end + 1], offset, "".join(pieces))


def _read_reference(source: str, offset: int) -> Token:
    if not source.startswith("{", offset + 1):
        raise syntax_error(source, offset, "expected '{' after '$'")
    name_start = offset + 2
    end = name_start
    if end < len(source) and _is_name_start(source[end]):
        end += 1
        while end < len(source) and _is_name_char(source[end]):
            end += 1
    if end == name_start:
        raise syntax_error(source, name_start, "expected a question name after '${'")
    if not source.startswith("}", end):
        raise syntax_error(source, end, "expected '}' after the question name")
    return Token(TokenKind.REFERENCE, source[offset : end + 1], offset, source[name_start:end])
