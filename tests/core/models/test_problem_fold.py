from datetime import UTC, datetime, timedelta

import pytest

from field_app.core.codes import Role
from field_app.core.models import Problem, ProblemAction, ProblemEvent, ProblemState, fold_problem

T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)
PROBLEM = Problem(
    id="p1",
    household_id="h1",
    village_code="360731108201",
    category="housing",
    description="屋顶漏雨",
    created_by="u_field",
    created_at=T0,
)

ACTORS = {
    "field": ("u_field", Role.FIELD_WORKER),
    "clerk": ("u_clerk", Role.VILLAGE_CLERK),
    "station": ("u_station", Role.TOWNSHIP_STATION),
    "super": ("u_super", Role.SUPERVISOR),
}


def events(*steps):
    made = []
    for i, (action, who) in enumerate(steps):
        actor_id, role = ACTORS[who]
        made.append(
            ProblemEvent(
                id=f"e{i}",
                problem_id="p1",
                action=action,
                actor_id=actor_id,
                actor_role=role,
                at=T0 + timedelta(days=i),
                assignee_id="u_clerk" if action == "assign" else None,
            )
        )
    return made


@pytest.mark.parametrize(
    ("steps", "state", "round_", "rejected"),
    [
        ([], ProblemState.OPEN, 1, []),
        ([("assign", "station")], ProblemState.ASSIGNED, 1, []),
        ([("assign", "station"), ("rectify", "clerk")], ProblemState.RECTIFIED, 1, []),
        ([("assign", "station"), ("rectify", "clerk"), ("verify", "super")], ProblemState.CLOSED, 1, []),
        # the field worker may not close a problem (销号 is the reviewers' act)
        ([("rectify", "clerk"), ("verify", "field")], ProblemState.RECTIFIED, 1, ["problem.role_not_allowed"]),
        # closing what was never rectified is refused, and kept
        ([("verify", "super")], ProblemState.OPEN, 1, ["problem.transition_not_allowed"]),
        # a reviewer who rectified cannot verify their own work
        ([("rectify", "station"), ("verify", "station")], ProblemState.RECTIFIED, 1, ["problem.self_verification"]),
        # verification failed: reopen starts round 2
        ([("rectify", "clerk"), ("reopen", "super")], ProblemState.OPEN, 2, []),
        (
            [("rectify", "clerk"), ("verify", "super"), ("reopen", "super"), ("rectify", "clerk"), ("verify", "station")],
            ProblemState.CLOSED,
            2,
            [],
        ),
        # two devices both rectify offline: the second is kept but has no effect
        ([("rectify", "clerk"), ("rectify", "field")], ProblemState.RECTIFIED, 1, ["problem.transition_not_allowed"]),
        ([("comment", "field"), ("comment", "super")], ProblemState.OPEN, 1, []),
    ],
)
def test_fold(steps, state, round_, rejected):
    log = events(*steps)
    status = fold_problem(PROBLEM, log)
    assert status.state is state
    assert status.round == round_
    assert [r.reason.code for r in status.rejected] == rejected
    # nothing is dropped: every event is either applied or rejected with a reason
    assert len(status.applied) + len(status.rejected) == len(log)


def test_assign_sets_assignee_and_due_date():
    status = fold_problem(PROBLEM, events(("assign", "station")))
    assert status.assignee_id == "u_clerk"


def test_rejection_reason_reads_well():
    status = fold_problem(PROBLEM, events(("verify", "field")))
    reason = status.rejected[0].reason
    assert reason.text("zh") == "驻村工作队（第一书记）无权对问题执行“验收销号”"
    assert reason.text("en") == "Village work team / first secretary may not 'verify and close' a problem"


def test_event_of_another_problem_is_rejected():
    stray = events(("comment", "field"))[0].model_copy(update={"problem_id": "p2"})
    assert fold_problem(PROBLEM, [stray]).rejected[0].reason.code == "problem.wrong_problem"


def test_actions_have_labels():
    assert ProblemAction.VERIFY.zh == "验收销号"
