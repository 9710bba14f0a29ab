"""What the merge answers for one mutation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from field_app.core.i18n import Message
from field_app.core.models.problem import ProblemStatus
from field_app.core.sync.conflicts import Conflict
from field_app.core.sync.state import EntityState


class Outcome(StrEnum):
    """Per mutation, never per batch (ARCHITECTURE.md §2).

    * ``applied`` — took effect on top of everything the record held (its device had seen every
      current write), or created the record / appended the visit or event. Also the answer for
      a mutation already merged (``duplicate``): no second effect.
    * ``merged`` — took effect beside concurrent writes it had not seen, with no dispute: other
      leaves, the same value, set elements, or a leaf where the latest clock decides (then
      ``conflicts`` lists the auto-resolved collision, won or lost). Also when every leaf it
      wrote had already been overtaken by a write that saw it (``superseded``).
    * ``conflict`` — took effect as a candidate of a queued conflict (disputed identity leaf,
      delete vs edit); the record shows the deterministic candidate meanwhile.
    * ``rejected`` — did not take effect (``reason`` says why: the merged record does not
      validate, a visit id reused with other content, an operation the kind does not allow).
      The caller stores it with its reason; nothing is lost.
    * ``deferred`` — cannot apply yet (an update before its create, a member before its
      household): the caller keeps it in a backlog and merges it again when the missing record
      arrives (``reason`` names it).
    """

    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    DEFERRED = "deferred"


@dataclass(frozen=True)
class MergeResult:
    outcome: Outcome
    # The record's state after the merge (unchanged when rejected or deferred; None when
    # deferred before the record exists). The caller persists it.
    state: EntityState | None
    # Every conflict the record holds after the merge (queued and auto-resolved), sorted.
    conflicts: tuple[Conflict, ...] = ()
    reason: Message | None = None
    # Whether what the record shows or holds changed (a pull must then send it again).
    changed: bool = False
    duplicate: bool = False  # already merged before: nothing done
    # Conflicts the record held before and no longer holds (settled by this mutation).
    closed: tuple[Conflict, ...] = ()
    # Leaves this mutation wrote that a write which had seen it had already overtaken.
    superseded: tuple[str, ...] = ()
    # Problems (a problem or one of its events merged): the folded status.
    status: ProblemStatus | None = None


__all__ = ["MergeResult", "Outcome"]
