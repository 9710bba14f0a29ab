"""The policy rules run over the demo county: what a county office would want to see first.

Printed by the main job after the county's summary. Each block counts an outcome and shows a
few of the reasons, in the words the rules give a cadre ("王小明 11岁 未在校").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TextIO

from field_app.core.codes import Guarantee, HouseholdStatus, Role
from field_app.core.demo.county import DemoCounty
from field_app.core.demo.summary import pad
from field_app.core.i18n import Message
from field_app.core.policy import (
    GuaranteeStatus,
    HouseholdAssessment,
    PolicyConfig,
    RiskKind,
    assess_households,
)

EXAMPLES = 3


def assess_county(county: DemoCounty, config: PolicyConfig, role: Role = Role.HELPER_CADRE) -> dict[str, HouseholdAssessment]:
    return assess_households(
        county.households, county.members, config, county.today, county.visits, role=role
    )


def print_rule_outcomes(
    county: DemoCounty,
    assessments: Mapping[str, HouseholdAssessment],
    out: TextIO,
    *,
    role: Role = Role.HELPER_CADRE,
) -> None:
    households = {h.id: h for h in county.households}
    results = list(assessments.values())
    print(f"\n政策规则结果 Rule outcomes（{county.today.isoformat()}）", file=out)

    print(f"  {pad('两不愁三保障 Guarantees', 22)}{'已保障 met':>12}{'未保障 not met':>14}{'未核实 unknown':>16}", file=out)
    for guarantee in Guarantee:
        counts = Counter(a.guarantees[guarantee].status for a in results)
        print(
            f"    {pad(guarantee.zh, 16)}{counts[GuaranteeStatus.MET]:>12,}{counts[GuaranteeStatus.NOT_MET]:>14,}"
            f"{counts[GuaranteeStatus.UNKNOWN]:>16,}",
            file=out,
        )
    _examples(out, (r for a in results for g in a.guarantees.with_status(GuaranteeStatus.NOT_MET) for r in g.reasons))

    waiting = [a for a in results if households[a.household_id].status is HouseholdStatus.NOT_EXITED]
    eligible = sum(a.exit.eligible for a in waiting)
    print(f"  脱贫条件 Exit: 未脱贫 {len(waiting)} 户中 {eligible} 户符合脱贫条件 "
          f"({eligible} of {len(waiting)} not-exited households eligible)", file=out)
    _examples(out, (r for a in waiting if not a.exit.eligible for r in a.exit.reasons[:1]))

    flags = Counter(flag.kind for a in results for flag in a.risks)
    at_risk = sum(a.at_risk for a in results)
    print(f"  返贫监测 Risk flags: {at_risk} 户有风险 households at risk · "
          + " · ".join(f"{kind.zh} {flags[kind]}" for kind in RiskKind), file=out)
    _examples(out, (flag.message for a in results for flag in a.risks))

    errors = Counter(f.code for a in results for f in a.errors)
    warnings = Counter(f.code for a in results for f in a.warnings)
    print(f"  数据核查 Consistency: 错误 errors {sum(errors.values())} · 提示 warnings {sum(warnings.values())}",
          file=out)
    _examples(out, (f.message for a in results for f in a.errors), EXAMPLES + 2)

    dues = [a.due for a in results if a.due is not None]
    overdue = sum(d.overdue for d in dues)
    print(f"  走访任务 Visit duty ({role.zh}): 应走访 {len(dues)} 户 · 逾期 overdue {overdue} 户", file=out)


def _examples(out: TextIO, messages: Iterable[Message], count: int = EXAMPLES) -> None:
    seen: list[str] = []
    for message in messages:
        text = message.text("zh")
        if text not in seen:
            seen.append(text)
        if len(seen) == count:
            break
    for text in seen:
        print(f"      例 e.g. {text}", file=out)


__all__ = ["assess_county", "print_rule_outcomes"]
