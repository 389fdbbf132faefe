-- packls registry store, PostgreSQL flavour. Column names and types mirror Attune's
-- runtime and runtime_version tables (pack-format.md §17); detected/detail/source are
-- packls' own.
CREATE TABLE runtime (
    id BIGSERIAL PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    pack_ref TEXT,
    name TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE runtime_version (
    id BIGSERIAL PRIMARY KEY,
    runtime BIGINT NOT NULL REFERENCES runtime(id) ON DELETE CASCADE,
    runtime_ref TEXT NOT NULL,
    version TEXT NOT NULL,
    version_major INT,
    version_minor INT,
    version_patch INT,
    execution_config JSONB NOT NULL DEFAULT '{}'::jsonb,
    distributions JSONB NOT NULL DEFAULT '{}'::jsonb,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    available BOOLEAN NOT NULL DEFAULT FALSE,
    verified_at TIMESTAMPTZ,
    meta JSONB NOT NULL DEFAULT '{}'::jsonb,
    detected TEXT,
    detail TEXT,
    source TEXT,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (runtime, version)
);

CREATE INDEX idx_runtime_version_runtime_ref ON runtime_version (runtime_ref);

CREATE TABLE index_snapshot (
    url TEXT PRIMARY KEY,
    priority INT NOT NULL,
    position INT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    fetched_at TIMESTAMPTZ,
    etag TEXT,
    last_modified TEXT,
    digest TEXT,
    content TEXT,
    pack_count INT,
    last_error TEXT,
    last_error_at TIMESTAMPTZ
);
