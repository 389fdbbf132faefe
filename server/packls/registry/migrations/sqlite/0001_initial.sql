-- packls registry store, SQLite flavour. Column names mirror Attune's runtime and
-- runtime_version tables (pack-format.md §17); detected/detail/source are packls' own.
CREATE TABLE runtime (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    pack_ref TEXT,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

CREATE TABLE runtime_version (
    id INTEGER PRIMARY KEY,
    runtime INTEGER NOT NULL REFERENCES runtime(id) ON DELETE CASCADE,
    runtime_ref TEXT NOT NULL,
    version TEXT NOT NULL,
    version_major INTEGER,
    version_minor INTEGER,
    version_patch INTEGER,
    execution_config TEXT NOT NULL DEFAULT '{}',
    distributions TEXT NOT NULL DEFAULT '{}',
    is_default INTEGER NOT NULL DEFAULT 0,
    available INTEGER NOT NULL DEFAULT 0,
    verified_at TEXT,
    meta TEXT NOT NULL DEFAULT '{}',
    detected TEXT,
    detail TEXT,
    source TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (runtime, version)
);

CREATE INDEX idx_runtime_version_runtime_ref ON runtime_version (runtime_ref);

CREATE TABLE index_snapshot (
    url TEXT PRIMARY KEY,
    priority INTEGER NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    fetched_at TEXT,
    etag TEXT,
    last_modified TEXT,
    digest TEXT,
    content TEXT,
    pack_count INTEGER,
    last_error TEXT,
    last_error_at TEXT
);
