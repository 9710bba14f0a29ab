"""Version 2: the registry's records, kept generic, and the change feed pulls read.

``entities`` holds the current state of every synced record (household, member, visit,
problem, problem event: ``field_app.core.sync.mutation.EntityKind``) as the JSON of its core
model, with the few columns queries need in clear: its village (scope), its parent (listing
a household's members), a tombstone flag, and ``seq``, the change that produced this state.

``changes`` is the feed: one row per change, numbered by a never-reused ``seq`` (the devices'
checkpoint). A pull for villages V after checkpoint c reads ``entities`` with ``seq > c`` and
``village_code IN V``; ``changes`` keeps the village *at the time of each change*, so a record
that moved out of V can still be announced to V's devices as gone.

The merge's own tables (mutation log, conflict queue, backlog, photos) come in later
migrations; columns the merge needs on entities (e.g. per-field versions) can be added then.
"""

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        village_code TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX changes_by_village ON changes (village_code, seq)",
    "CREATE INDEX changes_by_entity ON changes (kind, id)",
    """CREATE TABLE entities (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        village_code TEXT NOT NULL,
        parent_id TEXT,
        state TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL REFERENCES changes (seq),
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID""",
    "CREATE INDEX entities_by_village ON entities (village_code, seq)",
    "CREATE INDEX entities_by_parent ON entities (kind, parent_id)",
)
