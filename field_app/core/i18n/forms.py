"""Messages of the forms area (code -> Chinese, English). Keep codes stable; wording may change.

``form.def.*`` are the reasons inside ``form.invalid`` (a broken form definition, read by
the people who write forms); ``form.answer.*`` are the issues of a draft (read by field
workers), each starting with ``{prefix}`` (the member's name, or the repeat and instance
number) and the question's label.
"""

FORM_MESSAGES: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- definitions
    "form.def.not_mapping": ("表单内容应为“键: 值”映射", "the form must be a mapping of keys to values"),
    "form.def.missing": ("缺少必填设置 {field}", "required setting '{field}' is missing"),
    "form.def.unknown_setting": ("不认识的设置 {field}", "unknown setting '{field}'"),
    "form.def.unknown_type": (
        "未知的题型 {tag}（可用：{expected}）",
        "unknown question type '{tag}' (expected: {expected})",
    ),
    "form.def.no_type": ("缺少题型 type", "the item has no 'type'"),
    "form.def.bad_value": ("设置 {field} 有误：{detail}", "setting '{field}' is not valid: {detail_en}"),
    "form.def.pydantic.string_type": ("应为文本", "must be text"),
    "form.def.pydantic.int_type": ("应为整数", "must be a whole number"),
    "form.def.pydantic.int_parsing": ("应为整数", "must be a whole number"),
    "form.def.pydantic.int_from_float": ("应为整数", "must be a whole number"),
    "form.def.pydantic.float_type": ("应为数字", "must be a number"),
    "form.def.pydantic.float_parsing": ("应为数字", "must be a number"),
    "form.def.pydantic.bool_type": ("应为 true 或 false", "must be true or false"),
    "form.def.pydantic.bool_parsing": ("应为 true 或 false", "must be true or false"),
    "form.def.pydantic.greater_than_equal": ("不能小于 {ge}", "must be at least {ge}"),
    "form.def.pydantic.greater_than": ("应大于 {gt}", "must be more than {gt}"),
    "form.def.pydantic.less_than_equal": ("不能大于 {le}", "must be at most {le}"),
    "form.def.pydantic.literal_error": ("应为 {expected} 之一", "must be one of {expected}"),
    "form.def.pydantic.enum": ("应为 {expected} 之一", "must be one of {expected}"),
    "form.def.pydantic.string_pattern_mismatch": (
        "格式不对（应符合 {pattern}）",
        "has the wrong format (expected {pattern})",
    ),
    "form.def.pydantic.string_too_short": ("不能为空", "must not be empty"),
    "form.def.pydantic.string_too_long": (
        "太长（最多 {max_length} 个字符）",
        "is too long (at most {max_length} characters)",
    ),
    "form.def.pydantic.too_short": ("至少需要 {min_length} 项", "needs at least {min_length} entries"),
    "form.def.pydantic.list_type": ("应为列表", "must be a list"),
    "form.def.pydantic.dict_type": ("应为映射", "must be a mapping"),
    "form.def.pydantic.model_type": ("应为映射", "must be a mapping"),
    "form.def.pydantic.model_attributes_type": ("应为映射", "must be a mapping"),
    "form.def.duplicate_form": (
        "同一表单的版本 {version} 出现了两次",
        "version {version} of this form appears twice",
    ),
    "form.def.duplicate_name": (
        "名称 {name} 重复（已用于 {first}）",
        "name '{name}' is used twice (first at {first})",
    ),
    "form.def.bad_fact": ("事实 {path} 无效：{detail}", "fact '{path}' is not valid: {detail_en}"),
    "form.def.too_deep": ("分组嵌套超过 {limit} 层", "groups are nested more than {limit} levels deep"),
    "form.def.nested_repeat": (
        "重复组不能放在另一个重复组 {outer} 里",
        "a repeat cannot sit inside another repeat ({outer})",
    ),
    "form.def.min_above_max": (
        "最小值 {minimum} 大于最大值 {maximum}",
        "the minimum {minimum} is above the maximum {maximum}",
    ),
    "form.def.second_member_repeat": (
        "一个表单只能有一个按家庭成员重复的组（已有 {first}）",
        "a form has at most one member repeat (already {first})",
    ),
    "form.def.creates_on_members": (
        "按家庭成员重复的组不能用 creates",
        "a member repeat cannot 'create' records",
    ),
    "form.def.facts_in_free_repeat": (
        "只有按家庭成员重复的组才能声明 facts",
        "only a member repeat can declare facts",
    ),
    "form.def.duplicate_choice": (
        "选项列表 {list} 中选项值 {value} 重复",
        "choice value '{value}' appears twice in list '{list}'",
    ),
    "form.def.bad_expression": (
        "{attribute} 表达式有误：{error}",
        "the {attribute} expression is not valid: {error_en}",
    ),
    "form.def.reference_not_value": (
        "{attribute} 表达式引用的 ${{{name}}} 是分组或说明，没有值",
        "the {attribute} expression refers to ${{{name}}}, a group or note without a value",
    ),
    "form.def.current_outside_constraint": (
        "“.”只能用在约束条件 constraint 中，不能用在 {attribute} 中",
        "'.' may only be used in a constraint, not in {attribute}",
    ),
    "form.def.no_choices": (
        "选择题需要 choices 或 choices_from",
        "a select question needs 'choices' or 'choices_from'",
    ),
    "form.def.unknown_choice_list": ("选项列表 {list} 不存在", "choice list '{list}' does not exist"),
    "form.def.default_not_allowed": ("此类问题不能设默认值", "this type of question takes no default"),
    "form.def.default_not_in_choices": (
        "默认值 {value} 不在选项中",
        "the default '{value}' is not one of the choices",
    ),
    "form.def.bad_default": (
        "默认值 {value} 与题型不符",
        "the default '{value}' does not fit the question type",
    ),
    "form.def.save_to_not_here": (
        "这里的答案不能保存到登记册（{path}）",
        "answers here cannot be saved to the registry ({path})",
    ),
    "form.def.bad_save_to": (
        "save_to 路径 {path} 无效：{detail}",
        "save_to path '{path}' is not valid: {detail_en}",
    ),
    "form.def.duplicate_save_to": (
        "save_to 路径 {path} 已被 {first} 使用",
        "save_to path '{path}' is already used by {first}",
    ),
    "form.def.prefill_not_allowed": (
        "照片、定位和确认不能预填（{rule}）",
        "photos, GPS and confirmations cannot be prefilled ({rule})",
    ),
    "form.def.bad_prefill": (
        "预填路径 {path} 无效：{detail}",
        "prefill path '{path}' is not valid: {detail_en}",
    ),
    "form.def.choice_not_in_code_list": (
        "选项值 {value} 不在 {path} 的代码表中（可用：{allowed}）",
        "choice value '{value}' is not in the code list of {path} (allowed: {allowed})",
    ),
    "form.def.creates_incomplete": (
        "生成 {creates} 的重复组缺少保存项：{fields}",
        "the repeat that creates a {creates} does not save: {fields}",
    ),
    "form.def.bad_visit_field": (
        "visit_fields 引用的 {name} 应为顶层的 {kinds} 问题",
        "visit_fields names '{name}', which must be a top-level {kinds} question",
    ),
    "form.def.cycle": (
        "计算或显示条件互相依赖，形成循环：{cycle}",
        "calculations or conditions depend on each other in a cycle: {cycle}",
    ),
    # ------------------------------------------------------------------- answers
    "form.answer.missing": (
        "{prefix}{question}：必填，尚未填写",
        "{prefix_en}{question_en}: required, not answered",
    ),
    "form.answer.not_text": ("{prefix}{question}：应填写文字", "{prefix_en}{question_en}: must be text"),
    "form.answer.too_long": (
        "{prefix}{question}：最多 {limit} 个字，现有 {length} 个",
        "{prefix_en}{question_en}: at most {limit} characters, not {length}",
    ),
    "form.answer.format": ("{prefix}{question}：{reason}", "{prefix_en}{question_en}: {reason_en}"),
    "form.answer.not_integer": (
        "{prefix}{question}：应填写整数",
        "{prefix_en}{question_en}: must be a whole number",
    ),
    "form.answer.not_number": (
        "{prefix}{question}：应填写数字",
        "{prefix_en}{question_en}: must be a number",
    ),
    "form.answer.too_small": (
        "{prefix}{question}：不能小于 {limit}",
        "{prefix_en}{question_en}: must be at least {limit}",
    ),
    "form.answer.too_large": (
        "{prefix}{question}：不能大于 {limit}",
        "{prefix_en}{question_en}: must be at most {limit}",
    ),
    "form.answer.not_date": (
        "{prefix}{question}：应为日期（年-月-日）",
        "{prefix_en}{question_en}: must be a date (YYYY-MM-DD)",
    ),
    "form.answer.not_yes_no": (
        "{prefix}{question}：请选择“是”或“否”",
        "{prefix_en}{question_en}: answer yes or no",
    ),
    "form.answer.not_choice": (
        "{prefix}{question}：{value} 不是可选的选项",
        "{prefix_en}{question_en}: '{value}' is not one of the choices",
    ),
    "form.answer.not_choices": (
        "{prefix}{question}：应从选项中选择",
        "{prefix_en}{question_en}: pick from the choices",
    ),
    "form.answer.repeated_choice": (
        "{prefix}{question}：同一选项选了两次",
        "{prefix_en}{question_en}: a choice is picked twice",
    ),
    "form.answer.bad_gps": (
        "{prefix}{question}：定位数据无效，请重新定位",
        "{prefix_en}{question_en}: the GPS fix is not valid; take it again",
    ),
    "form.answer.gps_no_accuracy": (
        "{prefix}{question}：定位没有精度信息（要求 {limit} 米以内），请重新定位",
        "{prefix_en}{question_en}: the fix has no accuracy (must be within {limit} m); take it again",
    ),
    "form.answer.gps_inaccurate": (
        "{prefix}{question}：定位精度 {accuracy} 米，要求 {limit} 米以内，请到室外重新定位",
        "{prefix_en}{question_en}: accuracy {accuracy} m, must be within {limit} m; try again outdoors",
    ),
    "form.answer.bad_photo": (
        "{prefix}{question}：照片数据无效",
        "{prefix_en}{question_en}: the photo data is not valid",
    ),
    "form.answer.repeated_photo": (
        "{prefix}{question}：同一张照片添加了两次",
        "{prefix_en}{question_en}: the same photo is added twice",
    ),
    "form.answer.too_few_photos": (
        "{prefix}{question}：至少需要 {limit} 张照片",
        "{prefix_en}{question_en}: at least {limit} photos are needed",
    ),
    "form.answer.too_many_photos": (
        "{prefix}{question}：最多 {limit} 张照片",
        "{prefix_en}{question_en}: at most {limit} photos",
    ),
    "form.answer.bad_confirmation": (
        "{prefix}{question}：确认（签字或照片）无效，请重新确认",
        "{prefix_en}{question_en}: the confirmation (signature or photo) is not valid; do it again",
    ),
    "form.answer.constraint": ("{prefix}{question}：{reason}", "{prefix_en}{question_en}: {reason_en}"),
    "form.answer.constraint_default": (
        "{prefix}{question}：填写的值不符合要求",
        "{prefix_en}{question_en}: the answer is not acceptable",
    ),
    "form.answer.too_few_instances": (
        "{prefix}{question}：至少需要 {limit} 条",
        "{prefix_en}{question_en}: at least {limit} entries are needed",
    ),
    "form.answer.too_many_instances": (
        "{prefix}{question}：最多 {limit} 条",
        "{prefix_en}{question_en}: at most {limit} entries",
    ),
    "form.answer.rule_failed": (
        "{prefix}{question}：{attribute} 规则无法计算，请告知管理员（{error}）",
        "{prefix_en}{question_en}: the {attribute} rule could not be computed; tell the administrator ({error_en})",
    ),
}
