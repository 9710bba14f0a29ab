"""The policy rules as pure functions: 两不愁三保障, income against the poverty line, exit
eligibility (脱贫), monitoring after exit (返贫监测), data checks, visit duties (遍访).

Thresholds are configuration (:class:`PolicyConfig`; demo values in ``default_policy.yaml``),
``today`` is always passed in, and every reason is a :class:`~field_app.core.i18n.Message`.
Start with :func:`assess_household`.
"""

from field_app.core.policy.config import (
    PERIODS,
    Period,
    PolicyConfig,
    PovertyLine,
    VisitDuty,
    config_from_yaml,
    default_config,
    load_config,
)
from field_app.core.policy.consistency import Finding, FindingSeverity, check_household
from field_app.core.policy.evaluate import (
    HouseholdAssessment,
    assess_household,
    assess_households,
    assessment_year,
)
from field_app.core.policy.exit import ExitEligibility, exit_eligibility
from field_app.core.policy.guarantees import (
    GuaranteeResult,
    GuaranteeStatus,
    HouseholdGuarantees,
    MemberGuarantees,
    assess_guarantees,
    present_members,
)
from field_app.core.policy.income import (
    IncomeAssessment,
    IncomeStanding,
    assess_income,
    format_yuan,
    per_capita_income,
    province_of,
)
from field_app.core.policy.monitoring import MONITORED_STATUSES, RiskFlag, RiskKind, is_monitored, risk_flags
from field_app.core.policy.visit_duty import (
    Coverage,
    DueStatus,
    coverage,
    duties_for,
    next_visit_due,
    period_bounds,
    required_period,
)

__all__ = [
    "MONITORED_STATUSES",
    "PERIODS",
    "Coverage",
    "DueStatus",
    "ExitEligibility",
    "Finding",
    "FindingSeverity",
    "GuaranteeResult",
    "GuaranteeStatus",
    "HouseholdAssessment",
    "HouseholdGuarantees",
    "IncomeAssessment",
    "IncomeStanding",
    "MemberGuarantees",
    "Period",
    "PolicyConfig",
    "PovertyLine",
    "RiskFlag",
    "RiskKind",
    "VisitDuty",
    "assess_guarantees",
    "assess_household",
    "assess_households",
    "assess_income",
    "assessment_year",
    "check_household",
    "config_from_yaml",
    "coverage",
    "default_config",
    "duties_for",
    "exit_eligibility",
    "format_yuan",
    "is_monitored",
    "load_config",
    "next_visit_due",
    "per_capita_income",
    "period_bounds",
    "present_members",
    "province_of",
    "required_period",
    "risk_flags",
]
