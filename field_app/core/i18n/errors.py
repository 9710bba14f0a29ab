"""Messages of the error tree (code -> Chinese, English). Keep codes stable; wording may change."""

ERROR_MESSAGES: dict[str, tuple[str, str]] = {
    # generic
    "internal": ("系统内部错误，请联系管理员", "Internal error; please contact the administrator"),
    "validation.invalid": ("{field}：{reason}", "{field_en}: {reason}"),
    "validation.record": ("{first}（共{count}处错误）", "{first_en} ({count} errors)"),
    "validation.required": ("{field} 为必填项", "{field_en} is required"),
    "validation.not_a_number": ("{field} 应为数字", "{field_en} must be a number"),
    "validation.negative_money": ("{field} 不能为负数", "{field_en} must not be negative"),
    "validation.future_date": ("{field} 不能晚于今天（{today}）", "{field_en} cannot be after today ({today})"),
    "validation.bad_date": ("{field} 不是有效日期：{value}", "{field} is not a valid date: {value}"),
    "validation.out_of_range": (
        "{field} 应在 {minimum} 到 {maximum} 之间",
        "{field_en} must be between {minimum} and {maximum}",
    ),
    # resident ID numbers (GB 11643)
    "id_number.empty": ("身份证号为空", "The ID number is empty"),
    "id_number.bad_length": (
        "身份证号应为18位（现为{length}位）",
        "An ID number has 18 characters (this one has {length})",
    ),
    "id_number.bad_characters": (
        "身份证号只能包含数字，最后一位可以是 X",
        "An ID number holds digits only, with an optional final X",
    ),
    "id_number.bad_check_digit": (
        "身份证号校验位错误：末位应为 {expected}，录入的是 {given}",
        "The ID number's check digit is wrong: it should be {expected}, not {given}",
    ),
    "id_number.bad_birth_date": (
        "身份证号中的出生日期无效：{birth}",
        "The birth date inside the ID number is not a valid date: {birth}",
    ),
    "id_number.bad_region": (
        "身份证号的地区码无效：{region}",
        "The region code of the ID number is not valid: {region}",
    ),
    "id_number.legacy_15": (
        "这是15位旧身份证号，请改录18位新号码",
        "This is a legacy 15-digit ID number; enter the 18-digit number instead",
    ),
    "id_number.scientific_notation": (
        "身份证号被表格软件改成了科学计数法（{value}），原号码已丢失，请重新录入",
        "The ID number was turned into scientific notation by a spreadsheet ({value}); "
        "the original digits are lost, enter it again",
    ),
    # phone numbers
    "phone.invalid": (
        "电话号码无效：{value}（手机号为1开头的11位数字，座机为区号加号码）",
        "Not a valid phone number: {value} (mobile: 11 digits starting with 1; "
        "landline: area code and number)",
    ),
    # administrative codes (GB/T 2260 style, 12 digits down to the village)
    "admin_code.invalid": (
        "行政区划代码应为12位数字：{value}",
        "An administrative code has 12 digits: {value}",
    ),
    "admin_code.not_village": (
        "{value} 不是村级代码",
        "{value} is not a village-level code",
    ),
    # forms
    "form.invalid": (
        "表单 {form} 定义错误（{where}）：{reason}",
        "Form {form} is not valid ({where}): {reason}",
    ),
    "form.unreadable": ("无法读取表单文件 {path}：{reason}", "Cannot read form file {path}: {reason}"),
    "form.not_found": ("找不到表单 {form}（版本 {version}）", "Form {form} (version {version}) not found"),
    "form.answer_invalid": ("{question}：{reason}", "{question}: {reason}"),
    "form.incomplete": (
        "还有 {count} 个问题未填或填写有误",
        "{count} questions are missing or not valid",
    ),
    # the expression language
    "expr.syntax": (
        "表达式语法错误（第{position}个字符）：{reason}：{expression}",
        "Syntax error in expression at position {position}: {reason}: {expression}",
    ),
    "expr.unknown_function": (
        "表达式中有未知函数 {name}（第{position}个字符）：{expression}",
        "Unknown function {name} at position {position} in: {expression}",
    ),
    "expr.unknown_reference": (
        "表达式引用了不存在的问题 ${{{name}}}（第{position}个字符）：{expression}",
        "The expression refers to an unknown question ${{{name}}} at position {position}: {expression}",
    ),
    "expr.type": (
        "表达式计算出错（第{position}个字符）：{reason}：{expression}",
        "Expression error at position {position}: {reason}: {expression}",
    ),
    # configuration (poverty lines, visit duties, ...)
    "config.invalid": ("配置错误：{reason}", "Configuration error: {reason}"),
    "config.no_poverty_line": (
        "未配置 {province} {year} 年的贫困线",
        "No poverty line configured for {province} in {year}",
    ),
}
