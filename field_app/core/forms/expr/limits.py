"""Hard limits that keep a hostile or broken form from exhausting the tablet.

Form definitions come from files that travel between offices, so the language treats them
as untrusted: a source that is too long, nested too deeply or holding absurd numbers is
refused with ``expr.syntax`` instead of crashing with ``RecursionError`` or stalling.
"""

from __future__ import annotations

# Longer than any sensible relevance rule or calculation; bounds the work of one parse.
MAX_SOURCE_LENGTH = 4000

# How many operands, parentheses, unary operators and call arguments may nest inside one
# another. Left-associative chains such as ``a + b + c + ...`` do not nest (the parser and
# the evaluator walk them in a loop), so a long sum of income items stays legal.
MAX_NESTING_DEPTH = 64

# Integers beyond the range of a float are refused: no answer needs them, and unbounded
# integers would let repeated multiplication eat memory and time.
MAX_INTEGER_BITS = 1024

# The ``expression`` shown inside an error message is cut to this many characters.
MAX_EXCERPT_LENGTH = 200
