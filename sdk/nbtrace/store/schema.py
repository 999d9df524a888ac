"""The SQLite schema and its migrations, versioned with ``PRAGMA user_version``.

A migration is a list of statements run in one transaction. Never edit a
released step: add a new one.
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # 1: sessions and runs, payloads as JSON text
    [
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            trace_id TEXT NOT NULL,
            parent_run_id TEXT,
            dotted_order TEXT NOT NULL,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            run_type TEXT NOT NULL,
            start_time TEXT NOT NULL,
            end_time TEXT,
            error TEXT,
            inputs TEXT,
            outputs TEXT,
            tags TEXT,
            extra TEXT,
            events TEXT
        )""",
        "CREATE INDEX runs_by_trace ON runs(trace_id, dotted_order)",
        "CREATE INDEX runs_by_session ON runs(session_id)",
    ],
    # 2: token counts as columns, and one row per trace so a session lists its
    #    newest traces from an index instead of scanning every run
    [
        "ALTER TABLE runs ADD COLUMN prompt_tokens INTEGER",
        "ALTER TABLE runs ADD COLUMN completion_tokens INTEGER",
        "ALTER TABLE runs ADD COLUMN total_tokens INTEGER",
        """CREATE TABLE traces (
            trace_id TEXT PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            run_type TEXT NOT NULL,
            start_time TEXT NOT NULL,
            end_time TEXT,
            error TEXT
        )""",
        "CREATE INDEX traces_by_session ON traces(session_id, start_time DESC)",
        """INSERT OR IGNORE INTO traces (trace_id, session_id, name, run_type, start_time, end_time, error)
           SELECT id, session_id, name, run_type, start_time, end_time, error FROM runs WHERE parent_run_id IS NULL""",
    ],
    # 3: which process wrote each run, so runs left open by a process that died
    #    (kernel restart, crash) can be closed as interrupted
    [
        "ALTER TABLE runs ADD COLUMN writer TEXT",
        "CREATE INDEX runs_open_by_writer ON runs(writer) WHERE end_time IS NULL",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
