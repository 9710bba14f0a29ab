"""Messages of the policy area (code -> Chinese, English). Keep codes stable; wording may change."""

POLICY_MESSAGES: dict[str, tuple[str, str]] = {}
