"""A small, safe expression language for form relevance, constraints and calculations.

It reads like XLSForm: ``${age} >= 6 and ${age} <= 15``, ``selected(${causes}, 'illness')``,
``sum(${income_wage}) + ${transfer}``, ``age(${birth}) < 16``. Forms are data that travel
between offices, so nothing here runs Python: text is parsed into a tree and the tree is
walked, with limits on length (4000 characters) and nesting (64 levels).

>>> import datetime
>>> rule = parse("${age} >= 6 and ${age} <= 15")
>>> sorted(rule.references)
['age']
>>> rule.evaluate({"age": 9}, today=datetime.date(2024, 5, 1))
True

Syntax (see ``lexer.py`` and ``parser.py``): numbers ``12`` and ``3.5``; strings in ``'``
or ``"`` with the quote doubled inside (``'it''s'``), no backslash escapes; ``${name}``;
``.`` for the answer being checked; from lowest precedence: ``or``, ``and``, prefix
``not``, comparisons ``= == != < <= > >=`` (not chainable), ``+ -``, ``* / div mod``,
unary ``-``; calls ``name(a, b)`` of the functions in ``functions.py`` (no ``regex``).

Values: ``None`` (unanswered or not relevant), ``bool``, ``int``, ``float``, ``str``,
``datetime.date`` and ``list`` (a multiple-choice answer as its choice values; a question
in a repeat seen from outside as its values across instances; a repeat as its instances).

* Arithmetic with ``None`` gives ``None``; division or ``mod`` by zero gives ``None``;
  ``/`` and ``div`` give floats; text is never added (``concat()``, ``number()`` convert);
  date - date is days, date ± int is a date.
* ``=`` and ``!=``: ``None``, ``''`` and ``[]`` equal one another; number vs numeric text
  compares as numbers, date vs ``YYYY-MM-DD`` text as dates, booleans as 1 and 0; text
  that does not convert is unequal (XPath's NaN). ``<`` and friends with ``None`` are false.
  Kinds that never meet in a correct form (date vs number, list vs text, ...) raise
  ``expr.type``.
* ``and``, ``or``, ``not`` use truthiness (``None``, ``False``, ``0``, ``''``, ``[]`` are
  false), give booleans and short-circuit; ``if()`` and ``coalesce()`` evaluate lazily.

Errors are :class:`~field_app.core.errors.ExpressionError` with codes ``expr.syntax``,
``expr.unknown_function`` (at parse time, with arity) and ``expr.type`` (at evaluation),
each with a 1-based ``position`` param and the 0-based ``details["offset"]``.
"""

from __future__ import annotations

from .expression import Expression, parse

__all__ = ["Expression", "parse"]
