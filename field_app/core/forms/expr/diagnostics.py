"""Build the :class:`ExpressionError` values the language raises, with their positions.

Every error carries ``position`` (1-based, for the message read by people) among its
params and the 0-based ``offset`` in ``details`` (for programs that underline the spot).
"""

from __future__ import annotations

from field_app.core.errors import ExpressionError

from .limits import MAX_EXCERPT_LENGTH


def syntax_error(source: str, offset: int, reason: str) -> ExpressionError:
    """The text is not a valid expression: ``reason`` is a short English phrase."""
    return ExpressionError(
        "expr.syntax",
        expression=excerpt(source),
        position=offset + 1,
        reason=reason,
        details={"offset": offset},
    )


def unknown_function_error(source: str, offset: int, name: str) -> ExpressionError:
    return ExpressionError(
        "expr.unknown_function",
        expression=excerpt(source),
        position=offset + 1,
        name=name,
        details={"offset": offset},
    )


def evaluation_error(source: str, offset: int, reason: str) -> ExpressionError:
    """A well-formed expression met values it cannot work on (code ``expr.type``)."""
    return ExpressionError(
        "expr.type",
        expression=excerpt(source),
        position=offset + 1,
        reason=reason,
        details={"offset": offset},
    )


def excerpt(source: str) -> str:
    """The source as quoted in a message; very long sources are cut so messages stay readable."""
    if len(source) <= MAX_EXCERPT_LENGTH:
        return source
    return source[:MAX_EXCERPT_LENGTH] + "…"


def token_excerpt(text: str) -> str:
    """A token as quoted inside a reason, e.g. ``')'``; long string literals are shortened."""
    shown = text if len(text) <= 20 else text[:20] + "…"
    return f"'{shown}'"
