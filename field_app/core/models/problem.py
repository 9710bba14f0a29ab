"""Problems (问题) found in visits or reviews, and their life as a log of transition events.

The state of a problem is never stored as such: it is folded from its events, so two devices
that both act on a problem offline lose nothing — every event is kept, and the fold says which
ones took effect and why the others did not (wrong state, wrong role). The ledger's rhythm is
the seeds' "建立台账、整改销号": open → assigned → rectified → closed (verified), or reopened,
which starts a new round.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, Field

from field_app.core.codes import Coded, ProblemCategory, Role, Severity
from field_app.core.i18n import Message
from field_app.core.models.base import Record, Text, new_id
from field_app.core.models.places import VillageCode
from field_app.core.models.visit import PhotoRef


class ProblemState(Coded):
    OPEN = "open", "待处理", "Open"
    ASSIGNED = "assigned", "整改中", "Assigned"
    RECTIFIED = "rectified", "已整改待验收", "Rectified, awaiting verification"
    CLOSED = "closed", "已销号", "Verified and closed"


class ProblemAction(Coded):
    ASSIGN = "assign", "交办", "assign"
    RECTIFY = "rectify", "整改", "rectify"
    VERIFY = "verify", "验收销号", "verify and close"
    REOPEN = "reopen", "重新打开", "reopen"
    COMMENT = "comment", "备注", "comment"


class Problem(Record):
    id: str = Field(default_factory=new_id)
    household_id: str
    village_code: VillageCode
    category: ProblemCategory
    description: Annotated[str, Field(min_length=1, max_length=2000)]
    severity: Severity = Severity.MEDIUM
    found_in_visit_id: str | None = None
    created_by: str
    created_at: AwareDatetime
    due_date: date | None = None


class ProblemEvent(Record):
    id: str = Field(default_factory=new_id)
    problem_id: str
    action: ProblemAction
    actor_id: str
    actor_role: Role
    at: AwareDatetime
    note: Text | None = None
    assignee_id: str | None = None
    due_date: date | None = None
    photos: list[PhotoRef] = []


_FIELD_ROLES = frozenset({Role.FIELD_WORKER, Role.VILLAGE_CLERK, Role.HELPER_CADRE})
_REVIEW_ROLES = frozenset({Role.TOWNSHIP_STATION, Role.SUPERVISOR, Role.ADMIN})

# action -> (states it may start from, state it leads to, roles allowed)
TRANSITIONS: dict[ProblemAction, tuple[frozenset[ProblemState], ProblemState | None, frozenset[Role]]] = {
    ProblemAction.ASSIGN: (
        frozenset({ProblemState.OPEN, ProblemState.ASSIGNED}),
        ProblemState.ASSIGNED,
        _FIELD_ROLES | _REVIEW_ROLES,
    ),
    ProblemAction.RECTIFY: (
        frozenset({ProblemState.OPEN, ProblemState.ASSIGNED}),
        ProblemState.RECTIFIED,
        _FIELD_ROLES | _REVIEW_ROLES,
    ),
    ProblemAction.VERIFY: (frozenset({ProblemState.RECTIFIED}), ProblemState.CLOSED, _REVIEW_ROLES),
    ProblemAction.REOPEN: (
        frozenset({ProblemState.RECTIFIED, ProblemState.CLOSED}),
        ProblemState.OPEN,
        _REVIEW_ROLES,
    ),
    ProblemAction.COMMENT: (frozenset(ProblemState), None, _FIELD_ROLES | _REVIEW_ROLES),
}


@dataclass(frozen=True)
class RejectedEvent:
    event: ProblemEvent
    reason: Message


@dataclass(frozen=True)
class ProblemStatus:
    """The folded state of one problem."""

    state: ProblemState = ProblemState.OPEN
    round: int = 1  # a reopen starts round 2, 3, ...
    assignee_id: str | None = None
    due_date: date | None = None
    rectified_by: str | None = None
    closed_at: datetime | None = None
    applied: tuple[ProblemEvent, ...] = ()
    rejected: tuple[RejectedEvent, ...] = field(default=())


def fold_problem(problem: Problem, events: list[ProblemEvent]) -> ProblemStatus:
    """Fold ``events`` (already in their agreed order) into the problem's status. Pure."""
    status = ProblemStatus(due_date=problem.due_date)
    for event in events:
        status = apply_event(problem, status, event)
    return status


def apply_event(problem: Problem, status: ProblemStatus, event: ProblemEvent) -> ProblemStatus:
    reason = _refusal(problem, status, event)
    if reason is not None:
        return _replace(status, rejected=(*status.rejected, RejectedEvent(event, reason)))
    applied = (*status.applied, event)
    match event.action:
        case ProblemAction.ASSIGN:
            return _replace(
                status,
                state=ProblemState.ASSIGNED,
                assignee_id=event.assignee_id or status.assignee_id,
                due_date=event.due_date or status.due_date,
                applied=applied,
            )
        case ProblemAction.RECTIFY:
            return _replace(status, state=ProblemState.RECTIFIED, rectified_by=event.actor_id, applied=applied)
        case ProblemAction.VERIFY:
            return _replace(status, state=ProblemState.CLOSED, closed_at=event.at, applied=applied)
        case ProblemAction.REOPEN:
            return _replace(
                status,
                state=ProblemState.OPEN,
                round=status.round + 1,
                rectified_by=None,
                closed_at=None,
                applied=applied,
            )
        case _:
            return _replace(status, applied=applied)


def _refusal(problem: Problem, status: ProblemStatus, event: ProblemEvent) -> Message | None:
    if event.problem_id != problem.id:
        return Message("problem.wrong_problem")
    sources, _, roles = TRANSITIONS[event.action]
    names = {"action": event.action.zh, "action_en": event.action.en}
    if event.actor_role not in roles:
        return Message(
            "problem.role_not_allowed", {**names, "role": event.actor_role.zh, "role_en": event.actor_role.en}
        )
    if status.state not in sources:
        return Message(
            "problem.transition_not_allowed", {**names, "state": status.state.zh, "state_en": status.state.en}
        )
    if event.action is ProblemAction.VERIFY and event.actor_id == status.rectified_by:
        return Message("problem.self_verification")
    return None


def _replace(status: ProblemStatus, **changes: object) -> ProblemStatus:
    return replace(status, **changes)


__all__ = [
    "TRANSITIONS",
    "Problem",
    "ProblemAction",
    "ProblemEvent",
    "ProblemState",
    "ProblemStatus",
    "RejectedEvent",
    "apply_event",
    "fold_problem",
]
