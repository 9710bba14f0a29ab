"""Exit eligibility (脱贫): per-capita income above the line AND every guarantee met.

"将…不愁吃、不愁穿，保障其义务教育、基本医疗和住房作为贫困人口脱贫的前置条件" (seeds 001 §三(二)).
The reasons, when not eligible, in this order:

- the income reason: below the line (with the figures), or unknown (no income for the year,
  no present member, no poverty line configured);
- for each guarantee not met: "{guarantee}未达标" followed by that guarantee's own reasons;
- for each guarantee not verified: "{guarantee}未核实" followed by what is unverified.
  An unverified guarantee is never taken as met: the household is not yet eligible.

This is the rule only; the three-level procedure (village appraisal, township review, county
re-check, public notice) is a workflow on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from field_app.core.codes import Guarantee
from field_app.core.i18n import Message
from field_app.core.policy.guarantees import GuaranteeStatus, HouseholdGuarantees
from field_app.core.policy.income import IncomeAssessment, IncomeStanding


@dataclass(frozen=True, slots=True)
class ExitEligibility:
    eligible: bool
    reasons: tuple[Message, ...] = ()
    failing: tuple[Guarantee, ...] = ()  # guarantees not met
    unverified: tuple[Guarantee, ...] = ()  # guarantees not yet verified
    income: IncomeStanding = IncomeStanding.UNKNOWN


def exit_eligibility(guarantees: HouseholdGuarantees, income: IncomeAssessment) -> ExitEligibility:
    reasons: list[Message] = []
    if not income.above:
        reasons.extend(income.reasons)
    failing: list[Guarantee] = []
    unverified: list[Guarantee] = []
    for result in guarantees:
        if result.status is GuaranteeStatus.MET:
            continue
        names = {"guarantee": result.guarantee.zh, "guarantee_en": result.guarantee.en}
        if result.status is GuaranteeStatus.NOT_MET:
            failing.append(result.guarantee)
            reasons.append(Message("policy.exit.guarantee_not_met", names))
        else:
            unverified.append(result.guarantee)
            reasons.append(Message("policy.exit.guarantee_unverified", names))
        reasons.extend(result.reasons)
    eligible = income.above and not failing and not unverified
    return ExitEligibility(eligible, tuple(reasons), tuple(failing), tuple(unverified), income.standing)


__all__ = ["ExitEligibility", "exit_eligibility"]
