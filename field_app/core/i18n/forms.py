"""Messages of the forms area (code -> Chinese, English). Keep codes stable; wording may change."""

FORM_MESSAGES: dict[str, tuple[str, str]] = {}
