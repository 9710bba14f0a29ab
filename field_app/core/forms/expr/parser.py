"""Turn tokens into a syntax tree by precedence climbing.

Grammar (lowest precedence first)::

    expression := operand (binary-operator operand)*      -- by precedence, see precedence.py
    operand    := 'not' expression-above-and              -- only where 'and'/'or' could stand
                | '-' operand
                | NUMBER | STRING | ${name} | '.'
                | name '(' [expression (',' expression)*] ')'
                | '(' expression ')'

Comparisons do not chain (``a < b < c`` is an error; write ``a < b and b < c``).
``not(x)`` is simply ``not`` applied to ``(x)``. Function names and arities are checked
here, so a form with ``foo(1)`` or ``if(a, b)`` fails to load.

Each nested operand (right-hand side, parenthesis, argument, unary operand) counts one
level of nesting; beyond ``MAX_NESTING_DEPTH`` the parse stops with ``expr.syntax`` long
before Python's recursion limit. Left-associative chains are built in a loop and do not nest.
"""

from __future__ import annotations

from .diagnostics import syntax_error, token_excerpt, unknown_function_error
from .functions import FUNCTIONS
from .lexer import Token, TokenKind, tokenize
from .limits import MAX_NESTING_DEPTH, MAX_SOURCE_LENGTH
from .nodes import Binary, Call, Current, Literal, Node, Reference, Unary
from .precedence import (
    BINARY_PRECEDENCE,
    COMPARISON_OPERATORS,
    NOT,
    OPERATOR_SPELLINGS,
    OR,
    UNARY_MINUS,
)


def parse_tree(source: str) -> Node:
    """The syntax tree of ``source``; raises ``expr.syntax`` or ``expr.unknown_function``."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise syntax_error(source, MAX_SOURCE_LENGTH, "expression too long")
    return _Parser(source, tokenize(source)).parse()


class _Parser:
    def __init__(self, source: str, tokens: list[Token]) -> None:
        self._source = source
        self._tokens = tokens
        self._index = 0
        self._depth = 0

    def parse(self) -> Node:
        if self._peek().kind is TokenKind.END:
            raise self._error(self._peek(), "empty expression")
        tree = self._expression(OR)
        if self._peek().kind is not TokenKind.END:
            raise self._unexpected(self._peek())
        return tree

    # -- token access ------------------------------------------------------------------

    def _peek(self) -> Token:
        return self._tokens[self._index]

    def _advance(self) -> Token:
        token = self._tokens[self._index]
        if token.kind is not TokenKind.END:
            self._index += 1
        return token

    def _expect(self, kind: TokenKind, reason: str) -> Token:
        if self._peek().kind is not kind:
            raise self._error(self._peek(), reason)
        return self._advance()

    # -- grammar -----------------------------------------------------------------------

    def _expression(self, min_precedence: int) -> Node:
        """Operands joined by binary operators of at least ``min_precedence``."""
        self._depth += 1
        if self._depth > MAX_NESTING_DEPTH:
            raise self._error(self._peek(), "expression nested too deeply")
        left = self._operand(min_precedence)
        made_comparison = False
        while (precedence := _binary_precedence(self._peek())) is not None and precedence >= min_precedence:
            operator_token = self._advance()
            operator = OPERATOR_SPELLINGS.get(operator_token.text, operator_token.text)
            is_comparison = operator in COMPARISON_OPERATORS
            if is_comparison and made_comparison:
                raise self._error(operator_token, "comparisons cannot be chained; use 'and'")
            right = self._expression(precedence + 1)
            left = Binary(operator, left, right, operator_token.position)
            made_comparison = made_comparison or is_comparison
        self._depth -= 1
        return left

    def _operand(self, min_precedence: int) -> Node:
        token = self._peek()
        if token.kind is TokenKind.KEYWORD and token.text == "not":
            if min_precedence > NOT:
                # e.g. "a = not b": say where the parentheses go rather than "unexpected".
                raise self._error(token, "'not' needs parentheses here")
            self._advance()
            return Unary("not", self._expression(NOT), token.position)
        if token.kind is TokenKind.OPERATOR and token.text == "-":
            self._advance()
            return Unary("-", self._expression(UNARY_MINUS), token.position)
        return self._primary()

    def _primary(self) -> Node:
        token = self._advance()
        match token.kind:
            case TokenKind.NUMBER | TokenKind.STRING:
                return Literal(token.value, token.position)  # type: ignore[arg-type]  # set by the lexer
            case TokenKind.REFERENCE:
                return Reference(str(token.value), token.position)
            case TokenKind.DOT:
                return Current(token.position)
            case TokenKind.LEFT_PAREN:
                inner = self._expression(OR)
                self._expect(TokenKind.RIGHT_PAREN, "expected ')'")
                return inner
            case TokenKind.NAME:
                return self._call(token)
        raise self._unexpected(token)

    def _call(self, name_token: Token) -> Call:
        name = name_token.text
        if self._peek().kind is not TokenKind.LEFT_PAREN:
            # Most often a question name written without ${...}.
            raise self._error(name_token, f"unexpected name '{name}' (a question is written ${{{name}}})")
        function = FUNCTIONS.get(name)
        if function is None:
            raise unknown_function_error(self._source, name_token.position, name)
        self._advance()
        arguments: list[Node] = []
        if self._peek().kind is not TokenKind.RIGHT_PAREN:
            arguments.append(self._expression(OR))
            while self._peek().kind is TokenKind.COMMA:
                self._advance()
                arguments.append(self._expression(OR))
        self._expect(TokenKind.RIGHT_PAREN, "expected ',' or ')'")
        if not function.accepts(len(arguments)):
            raise self._error(name_token, f"function {name} {function.arity_text()}")
        return Call(name, tuple(arguments), name_token.position)

    # -- errors ------------------------------------------------------------------------

    def _error(self, token: Token, reason: str) -> Exception:
        return syntax_error(self._source, token.position, reason)

    def _unexpected(self, token: Token) -> Exception:
        if token.kind is TokenKind.END:
            return self._error(token, "unexpected end of expression")
        return self._error(token, f"unexpected token {token_excerpt(token.text)}")


def _binary_precedence(token: Token) -> int | None:
    if token.kind not in (TokenKind.OPERATOR, TokenKind.KEYWORD):
        return None
    operator = OPERATOR_SPELLINGS.get(token.text, token.text)
    return BINARY_PRECEDENCE.get(operator)
