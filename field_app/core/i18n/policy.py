"""Messages of the policy area (code -> Chinese, English). Keep codes stable; wording may change.

The Chinese reads the way a county cadre writes a 台账 line ("王小明 11岁 未在校"). Amounts are
passed already formatted (yuan, no decimals when whole); names are passed as recorded.
"""

POLICY_MESSAGES: dict[str, tuple[str, str]] = {
    # 两不愁: food and clothing
    "policy.food.not_secure": ("全年口粮不能保障", "Not enough staple food all year"),
    "policy.food.unknown": ("不愁吃情况未核实", "Food security not yet checked"),
    "policy.clothing.not_secure": ("四季衣物和被褥不能保障", "Lacks clothing or bedding for some season"),
    "policy.clothing.unknown": ("不愁穿情况未核实", "Clothing security not yet checked"),
    # 义务教育有保障
    "policy.education.not_in_school": ("{name} {age}岁 未在校", "{name}, {age}, not in school"),
    "policy.education.not_in_school_reason": (
        "{name} {age}岁 未在校（{reason}）",
        "{name}, {age}, not in school ({reason})",
    ),
    "policy.education.dropped_out": ("{name} {age}岁 辍学", "{name}, {age}, dropped out of school"),
    "policy.education.dropped_out_reason": (
        "{name} {age}岁 辍学（{reason}）",
        "{name}, {age}, dropped out of school ({reason})",
    ),
    "policy.education.home_teaching": (
        "{name} {age}岁 送教上门",
        "{name}, {age}, taught at home (送教上门)",
    ),
    "policy.education.unrecorded": (
        "{name} {age}岁 在校情况未登记",
        "{name}, {age}: school status not recorded",
    ),
    "policy.education.no_children": ("无义务教育阶段儿童", "No children of compulsory-school age"),
    # 基本医疗有保障
    "policy.medical.uninsured": (
        "{name} 未参加基本医疗保险",
        "{name} has no basic medical insurance",
    ),
    "policy.medical.insurance_unrecorded": (
        "{name} 参保情况未登记",
        "{name}: basic medical insurance not recorded",
    ),
    "policy.medical.no_family_doctor": (
        "{name} 患{condition}，未签约家庭医生",
        "{name} has {condition_en} but no family-doctor contract",
    ),
    "policy.medical.family_doctor_unrecorded": (
        "{name} 患{condition}，家庭医生签约情况未登记",
        "{name} has {condition_en}; family-doctor contract not recorded",
    ),
    "policy.medical.no_members": ("无在户成员", "No member lives in the household"),
    # 住房安全有保障
    "policy.housing.dangerous": (
        "住房为{grade}级危房，尚未完成改造（{renovation}）",
        "The house is grade {grade} (dangerous); renovation not finished ({renovation_en})",
    ),
    "policy.housing.dangerous_no_plan": (
        "住房为{grade}级危房，未列入危房改造",
        "The house is grade {grade} (dangerous) and not planned for renovation",
    ),
    "policy.housing.renovated": ("{grade}级危房已改造完成", "Grade {grade} dangerous house renovated"),
    "policy.housing.relocated": ("已易地扶贫搬迁", "Relocated (易地扶贫搬迁)"),
    "policy.housing.unknown": ("住房安全等级未鉴定", "The house's safety grade is not assessed"),
    # 饮水安全有保障
    "policy.water.quantity": ("饮水水量不足", "Not enough drinking water"),
    "policy.water.quality": ("饮水水质不达标", "Drinking water quality not up to standard"),
    "policy.water.convenience": (
        "取水不便（单程超过1公里或垂直高差超过100米）",
        "Fetching water is hard (over 1 km away or 100 m uphill)",
    ),
    "policy.water.quantity_unknown": ("饮水水量未核实", "Drinking water quantity not checked"),
    "policy.water.quality_unknown": ("饮水水质未核实", "Drinking water quality not checked"),
    "policy.water.convenience_unknown": ("取水方便程度未核实", "Ease of fetching water not checked"),
    # income against the poverty line
    "policy.income.above": (
        "{year}年人均纯收入{per_capita}元，高于贫困线{line}元",
        "Per-capita net income {per_capita} yuan in {year}, above the poverty line of {line} yuan",
    ),
    "policy.income.below": (
        "{year}年人均纯收入{per_capita}元，未超过贫困线{line}元（差{shortfall}元）",
        "Per-capita net income {per_capita} yuan in {year} does not exceed the poverty line "
        "of {line} yuan (short by {shortfall})",
    ),
    "policy.income.missing": ("未录入{year}年收入", "No income recorded for {year}"),
    "policy.income.no_persons": (
        "无在户成员，无法计算{year}年人均纯收入",
        "No member lives in the household: no per-capita income for {year}",
    ),
    "policy.income.line_fallback": (
        "{year}年贫困线未配置，暂按{line_year}年标准{line}元计算",
        "No poverty line configured for {year}; {line_year}'s line of {line} yuan is used",
    ),
    # exit (脱贫)
    "policy.exit.guarantee_not_met": ("{guarantee}未达标", "{guarantee_en}: not met"),
    "policy.exit.guarantee_unverified": ("{guarantee}未核实", "{guarantee_en}: not yet verified"),
    # monitoring after exit (返贫监测)
    "policy.risk.near_line": (
        "{year}年人均纯收入{per_capita}元，接近贫困线（贫困线{line}元，监测上限{upper}元）",
        "Per-capita net income {per_capita} yuan in {year} is near the poverty line "
        "({line} yuan; monitored up to {upper})",
    ),
    "policy.risk.below_line": (
        "{year}年人均纯收入{per_capita}元，未超过贫困线{line}元，有返贫致贫风险",
        "Per-capita net income {per_capita} yuan in {year} does not exceed the poverty line "
        "of {line} yuan: risk of (return to) poverty",
    ),
    "policy.risk.large_expense": (
        "{year}年发生大额刚性支出{amount}元（{cause}）",
        "A large unavoidable expense of {amount} yuan in {year} ({cause})",
    ),
    "policy.risk.large_expense_no_cause": (
        "{year}年发生大额刚性支出{amount}元，原因未填写",
        "A large unavoidable expense of {amount} yuan in {year}; cause not recorded",
    ),
    "policy.risk.guarantee_lost": ("脱贫后{guarantee}未达标", "{guarantee_en} no longer met after exit"),
    # data checks (信息比对)
    "policy.check.not_in_school_no_reason": (
        "{name} {age}岁 未在校，未填写原因",
        "{name}, {age}, is not in school and no reason is recorded",
    ),
    "policy.check.dropped_out_no_reason": (
        "{name} {age}岁 辍学，未填写辍学原因",
        "{name}, {age}, dropped out and no reason is recorded",
    ),
    "policy.check.dangerous_house_exited": (
        "住房为{grade}级危房且未改造，户状态却为“{status}”",
        "The house is grade {grade} (dangerous, not renovated) but the household is marked '{status_en}'",
    ),
    "policy.check.income_below_exited": (
        "{year}年人均纯收入{per_capita}元未超过贫困线{line}元，户状态却为“{status}”",
        "Per-capita net income {per_capita} yuan in {year} does not exceed the poverty line of "
        "{line} yuan but the household is marked '{status_en}'",
    ),
    "policy.check.exit_year_not_exited": (
        "已填写脱贫年度{exit_year}年，户状态却为“{status}”",
        "Exit year {exit_year} is recorded but the household is marked '{status_en}'",
    ),
    "policy.check.exited_no_exit_year": (
        "户状态为“{status}”，但未填写脱贫年度",
        "The household is marked '{status_en}' but no exit year is recorded",
    ),
    "policy.check.exit_year_future": (
        "脱贫年度{exit_year}年晚于今年（{year}年）",
        "Exit year {exit_year} is after this year ({year})",
    ),
    "policy.check.no_members": ("无在户成员", "No member lives in the household"),
    "policy.check.no_head": ("在户成员中没有户主", "No present member is the head of household"),
    "policy.check.several_heads": (
        "在户成员中有{count}名户主：{names}",
        "{count} present members are head of household: {names}",
    ),
    "policy.check.head_name_mismatch": (
        "户主姓名登记为{head_name}，成员中的户主却是{member_name}",
        "The head of household is recorded as {head_name}, but the head among the members is {member_name}",
    ),
    "policy.check.older_than_head": (
        "{name}（{relation}）比户主{head}年长",
        "{name} ({relation_en}) is older than the head of household {head}",
    ),
    "policy.check.younger_than_head": (
        "{name}（{relation}）比户主{head}年轻",
        "{name} ({relation_en}) is younger than the head of household {head}",
    ),
}
