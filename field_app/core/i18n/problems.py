"""Messages of the problem ledger (问题台账) lifecycle (code -> Chinese, English)."""

PROBLEM_MESSAGES: dict[str, tuple[str, str]] = {
    "problem.transition_not_allowed": (
        "问题当前为“{state}”，不能执行“{action}”",
        "The problem is {state_en}; '{action_en}' is not allowed now",
    ),
    "problem.role_not_allowed": (
        "{role}无权对问题执行“{action}”",
        "{role_en} may not '{action_en}' a problem",
    ),
    "problem.self_verification": (
        "整改人不能自己验收销号",
        "The person who rectified a problem cannot verify it",
    ),
    "problem.wrong_problem": (
        "事件不属于该问题",
        "The event belongs to another problem",
    ),
}
