"""Version 1: places, accounts and their credentials, the audit log, published forms.

Times are ISO 8601 text in UTC. JSON columns are text (``scope``, ``before``, ``after``).
``role`` has no CHECK: the list of roles lives in ``field_app.core.codes.Role`` and a CHECK
would need a table rebuild for every new role; the service validates it through ``User``.
Credentials are stored only as hashes: ``password_hash`` (scrypt, parameters inside),
``token_hash`` and ``code_hash`` (SHA-256 of 256-bit tokens / short-lived codes).
"""

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE counties (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        province TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE townships (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        county_code TEXT NOT NULL REFERENCES counties (code)
    ) WITHOUT ROWID""",
    """CREATE TABLE villages (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        township_code TEXT NOT NULL REFERENCES townships (code),
        poor_village INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID""",
    "CREATE INDEX villages_by_township ON villages (township_code)",
    """CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        scope TEXT NOT NULL DEFAULT '{}',
        phone TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        password_hash TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    # Console/admin sessions: bearer tokens from a password login, short-lived.
    """CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
    )""",
    """CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        enrolled_at TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT REFERENCES users (id),
        last_seen TEXT
    )""",
    "CREATE INDEX devices_by_user ON devices (user_id)",
    """CREATE TABLE enrolment_codes (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        code_hash TEXT NOT NULL UNIQUE,
        issued_by TEXT REFERENCES users (id),
        issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        device_id TEXT REFERENCES devices (id),
        failed_attempts INTEGER NOT NULL DEFAULT 0
    )""",
    # Append-only: every registry change and review action, with what it was and became.
    # user_id/device_id have no foreign keys on purpose: the log outlives what it names.
    """CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user_id TEXT,
        device_id TEXT,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT,
        village_code TEXT,
        before TEXT,
        after TEXT
    )""",
    "CREATE INDEX audit_by_entity ON audit_log (entity, entity_id)",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    # Also fires for INSERT OR REPLACE over an existing row (recursive_triggers is on).
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    # Every form version the server has ever published, with the hash of its file: a version,
    # once on tablets, must never change under the same number (see forms_publish.py).
    """CREATE TABLE published_forms (
        form_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        file_name TEXT NOT NULL,
        first_published_at TEXT NOT NULL,
        PRIMARY KEY (form_id, version)
    ) WITHOUT ROWID""",
)
