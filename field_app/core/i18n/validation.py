"""Messages of validation findings that warn rather than refuse (code -> Chinese, English)."""

VALIDATION_MESSAGES: dict[str, tuple[str, str]] = {
    "id_number.sex_mismatch": (
        "{name}：录入性别为{entered}，但身份证号显示为{derived}",
        "{name}: sex entered as {entered_en}, but the ID number says {derived_en}",
    ),
    "id_number.birth_mismatch": (
        "{name}：录入出生日期为{entered}，但身份证号显示为{derived}",
        "{name}: birth date entered as {entered}, but the ID number says {derived}",
    ),
    "id_number.unknown_region": (
        "身份证号地区码 {region} 不在行政区划库中，请核对",
        "Region code {region} of the ID number is not in the code list; please check it",
    ),
    "id_number.converted_legacy": (
        "15位旧身份证号已转换为18位：{number}",
        "The legacy 15-digit ID number was converted to 18 digits: {number}",
    ),
}
