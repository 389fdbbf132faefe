-- A minimal stand-in for Attune's own schema (pack-format.md §16, §17): the columns packls
-- reads, retirement, and the platform guard that only lets host verification change.
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL);
INSERT INTO _sqlx_migrations VALUES (20250101000002, 'pack_system');

CREATE TABLE runtime (
    id BIGSERIAL PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    pack_ref TEXT,
    name TEXT NOT NULL,
    distributions JSONB NOT NULL DEFAULT '{}',
    execution_config JSONB NOT NULL DEFAULT '{}',
    retired_at TIMESTAMPTZ,
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
    execution_config JSONB NOT NULL DEFAULT '{}',
    distributions JSONB NOT NULL DEFAULT '{}',
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    available BOOLEAN NOT NULL DEFAULT TRUE,
    verified_at TIMESTAMPTZ,
    meta JSONB NOT NULL DEFAULT '{}',
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    retired_at TIMESTAMPTZ,
    UNIQUE (runtime, version)
);

CREATE FUNCTION guard_platform_runtime_version() RETURNS trigger AS $$
BEGIN
    IF (NEW.runtime, NEW.runtime_ref, NEW.version, NEW.version_major, NEW.version_minor, NEW.version_patch,
        NEW.execution_config, NEW.distributions, NEW.is_default, NEW.meta, NEW.created, NEW.retired_at)
       IS DISTINCT FROM
       (OLD.runtime, OLD.runtime_ref, OLD.version, OLD.version_major, OLD.version_minor, OLD.version_patch,
        OLD.execution_config, OLD.distributions, OLD.is_default, OLD.meta, OLD.created, OLD.retired_at) THEN
        RAISE EXCEPTION 'Host verification is operational state, not catalog metadata';
    END IF;
    NEW.updated := NOW();
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER runtime_version_guard BEFORE UPDATE ON runtime_version
    FOR EACH ROW EXECUTE FUNCTION guard_platform_runtime_version();

INSERT INTO runtime (ref, pack_ref, name) VALUES ('core.python', 'core', 'Python'), ('toolbox.tool', 'toolbox', 'Tool');

INSERT INTO runtime_version (runtime, runtime_ref, version, version_major, version_minor, distributions,
                             execution_config, is_default, available, retired_at)
VALUES
    (1, 'core.python', '3.12', 3, 12,
     '{"verification": {"commands": [{"binary": "sh", "args": ["-c", "echo Python 3.12.9"], "pattern": "Python 3\\.12\\.", "priority": 1}]}}',
     '{"interpreter": {"binary": "python3.12"}}', TRUE, FALSE, NULL),
    (1, 'core.python', '3.11', 3, 11,
     '{"verification": {"commands": [{"binary": "packls-missing-python3.11", "args": ["--version"]}]}}',
     '{"interpreter": {"binary": "packls-missing-python3.11"}}', FALSE, TRUE, NULL),
    (1, 'core.python', '3.10', 3, 10, '{}', '{}', FALSE, TRUE, NOW() - INTERVAL '1 day'),
    (2, 'toolbox.tool', '9.9', 9, 9, '{}', '{}', FALSE, FALSE, NULL);
