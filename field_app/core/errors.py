"""One error tree for the whole product, with stable string codes.

Every error the product raises on purpose is a :class:`BianfangError` (or a subclass that
says which area it comes from). The ``code`` is stable: clients, logs and tests match on it,
never on the wording. The wording lives in :data:`MESSAGES`, Chinese first and English
second, with ``{placeholders}`` filled from the error's ``params``.

The server answers every error as ``{code, message, details}`` (see :meth:`to_dict`); the
field app shows ``message("zh")`` to the user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Lang = str  # "zh" or "en"
DEFAULT_LANG: Lang = "zh"

# code -> (Chinese, English). Keep codes stable; wording may change.
MESSAGES: dict[str, tuple[str, str]] = {
    # generic
    "internal": ("系统内部错误，请联系管理员", "Internal error; please contact the administrator"),
    "validation.invalid": ("{field}：{reason}", "{field}: {reason}"),
    "validation.required": ("{field} 为必填项", "{field} is required"),
    "validation.not_a_number": ("{field} 应为数字", "{field} must be a number"),
    "validation.negative_money": ("{field} 不能为负数", "{field} must not be negative"),
    "validation.future_date": ("{field} 不能晚于今天（{today}）", "{field} cannot be after today ({today})"),
    "validation.bad_date": ("{field} 不是有效日期：{value}", "{field} is not a valid date: {value}"),
    "validation.out_of_range": (
        "{field} 应在 {minimum} 到 {maximum} 之间",
        "{field} must be between {minimum} and {maximum}",
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


class _SafeParams(dict):
    """Leave unknown placeholders visible instead of raising while formatting a message."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class BianfangError(Exception):
    """Base of every error the product raises on purpose.

    ``code`` selects the message in :data:`MESSAGES`; ``params`` fill its placeholders;
    ``details`` carry machine-readable context (which field, which position, ...).
    """

    default_code = "internal"

    def __init__(
        self,
        code: str | None = None,
        *,
        details: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> None:
        self.code = code or self.default_code
        if self.code not in MESSAGES:
            raise KeyError(f"unknown error code {self.code!r}: add it to MESSAGES")
        self.params = params
        self.details = dict(details or {})
        super().__init__(self.message("en"))

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        zh, en = MESSAGES[self.code]
        template = en if lang == "en" else zh
        return template.format_map(_SafeParams(self.params))

    def to_dict(self, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
        details = {**{k: _plain(v) for k, v in self.params.items()}, **self.details}
        return {"code": self.code, "message": self.message(lang), "details": details}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.params!r})"


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


class ValidationError(BianfangError):
    """A value entered by a user or read from a file is not acceptable."""

    default_code = "validation.invalid"


class FormDefinitionError(BianfangError):
    """A form definition (data in ``forms/``) is broken; names the form, the question, the fault."""

    default_code = "form.invalid"


class ExpressionError(FormDefinitionError):
    """An expression of the form language cannot be parsed or evaluated; names the position."""

    default_code = "expr.syntax"


class ConfigError(BianfangError):
    """Policy or product configuration is missing or inconsistent."""

    default_code = "config.invalid"


__all__ = [
    "MESSAGES",
    "BianfangError",
    "ConfigError",
    "ExpressionError",
    "FormDefinitionError",
    "ValidationError",
]
