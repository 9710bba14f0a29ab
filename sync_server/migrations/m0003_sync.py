"""Version 3: what the sync service keeps beside the registry.

* ``mutation_log`` — every mutation a device (or the server itself, for a supervisor's
  resolution) sent, as received (the device's own clock readings kept), its content hash, who
  sent it and what became of it. ``UNIQUE (device_id, device_seq)`` is the idempotency key: the
  same key again is answered from here; the same key with another hash is a cloned tablet.
  ``log_seq`` is the arrival order; ``change_seq`` the registry change it made, if any.
* ``backlog`` — deferred mutations (an update before its create, a member before its
  household), as they will be merged (visit times already re-anchored), with the one record
  each waits for (``wait_kind``/``wait_id``). A mutation leaves the backlog when a replay
  settles it (applied, merged, conflict or rejected).
* ``merge_states`` — per record, the merge's state (``EntityState.to_json()``: per leaf the
  heads, the mutations merged, a problem's event log). ``entities.state`` keeps serving the
  plain record JSON to pulls; this table is read only by the merge, so a pull never parses it.
  A record with no row here (loaded in bulk, or written before version 3) gets its baseline
  state from its record on first touch.
* ``departures`` — a record leaving a village (a member moved to another village's
  household, a household relocated): the village it left, at the seq of the change that
  moved it, so that village's devices are told once that it is gone.
* ``conflicts`` — the supervisors' queue: one row per dispute (disputed identity leaf, delete
  vs edit) while the record's state holds it; ``key`` is the core's stable conflict id, unique
  among open rows (a leaf disputed again later opens a new row).
* ``photos`` / ``photo_refs`` — content-addressed blobs (the bytes live in files under the
  server's data folder) and which visits or problem events reference each, with their village:
  who may download a photo is decided from there.
* ``household_status`` — derived statuses per household (两不愁三保障, exit eligibility, risk
  flags, next visit due per duty role), recomputed by ``field_app.core.policy`` after changes.
* ``sync_meta`` — small counters: the server's hybrid logical clock, its own device sequence.
"""

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE mutation_log (
        log_seq INTEGER PRIMARY KEY AUTOINCREMENT,
        device_id TEXT NOT NULL,
        device_seq INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        mutation TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        user_id TEXT,
        outcome TEXT NOT NULL,
        duplicate INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        conflict_ids TEXT NOT NULL DEFAULT '[]',
        change_seq INTEGER,
        time_estimated INTEGER NOT NULL DEFAULT 0,
        received_at TEXT NOT NULL,
        settled_at TEXT,
        UNIQUE (device_id, device_seq)
    )""",
    "CREATE INDEX mutation_log_by_entity ON mutation_log (entity, entity_id)",
    """CREATE TABLE backlog (
        log_seq INTEGER PRIMARY KEY REFERENCES mutation_log (log_seq),
        device_id TEXT NOT NULL,
        device_seq INTEGER NOT NULL,
        target_kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        wait_kind TEXT NOT NULL,
        wait_id TEXT NOT NULL,
        mutation TEXT NOT NULL,
        user_id TEXT,
        queued_at TEXT NOT NULL
    )""",
    "CREATE INDEX backlog_by_wait ON backlog (wait_kind, wait_id)",
    "CREATE INDEX backlog_by_target ON backlog (target_kind, target_id, device_id, device_seq)",
    """CREATE TABLE merge_states (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID""",
    """CREATE TABLE departures (
        seq INTEGER PRIMARY KEY REFERENCES changes (seq),
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        village_code TEXT NOT NULL
    )""",
    "CREATE INDEX departures_by_village ON departures (village_code, seq)",
    """CREATE TABLE conflicts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        village_code TEXT NOT NULL,
        field TEXT NOT NULL,
        path TEXT NOT NULL,
        kind TEXT NOT NULL,
        base TEXT,
        candidates TEXT NOT NULL,
        displayed TEXT,
        state TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
        opened_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        resolved_by TEXT,
        resolved_at TEXT,
        resolved_value TEXT,
        resolution_note TEXT,
        resolution_device_seq INTEGER
    )""",
    "CREATE UNIQUE INDEX conflicts_open_key ON conflicts (key) WHERE state = 'open'",
    "CREATE INDEX conflicts_by_village ON conflicts (village_code, state, id)",
    "CREATE INDEX conflicts_by_entity ON conflicts (entity, entity_id, state)",
    """CREATE TABLE photos (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        received INTEGER NOT NULL DEFAULT 0,
        complete INTEGER NOT NULL DEFAULT 0,
        first_user_id TEXT,
        first_device_id TEXT,
        village_code TEXT,
        created_at TEXT NOT NULL,
        completed_at TEXT
    ) WITHOUT ROWID""",
    """CREATE TABLE photo_refs (
        sha256 TEXT NOT NULL,
        owner_kind TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        village_code TEXT NOT NULL,
        PRIMARY KEY (sha256, owner_kind, owner_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE household_status (
        household_id TEXT PRIMARY KEY,
        village_code TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        guarantees TEXT,
        all_met INTEGER,
        exit_eligible INTEGER,
        exit_reasons TEXT,
        risk_flags TEXT,
        visits_due TEXT,
        next_visit_due TEXT,
        overdue INTEGER,
        error TEXT
    ) WITHOUT ROWID""",
    "CREATE INDEX household_status_by_village ON household_status (village_code)",
    """CREATE TABLE sync_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
)
