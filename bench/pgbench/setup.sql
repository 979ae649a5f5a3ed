-- pgbench baseline for Longhaul's create throughput (bench/postgres.sh, docs/benchmarks.md).
-- A table shaped like Longhaul's `operations` (src/Longhaul.Postgres/PostgresSchema.cs, migration 1): the same
-- columns and the same indexes, so that one INSERT here costs the database what one create costs it there,
-- minus everything Longhaul does around it (HTTP, validation, id, JSON, the RETURNING row, Npgsql).
DROP SCHEMA IF EXISTS pgbench_ops CASCADE;
CREATE SCHEMA pgbench_ops;
SET search_path TO pgbench_ops;
CREATE TABLE operations (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    tenant text NOT NULL,
    kind text NOT NULL,
    status integer NOT NULL,
    input json NOT NULL,
    metadata json,
    callback_url text,
    priority integer NOT NULL DEFAULT 0,
    attempt integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL,
    timeout_ms bigint,
    deadline_at timestamptz,
    run_after timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    started_at timestamptz,
    finished_at timestamptz,
    progress json,
    estimated_completion timestamptz,
    cancel_requested boolean NOT NULL DEFAULT false,
    result json,
    error json,
    checkpoint json,
    lease_owner text,
    lease_epoch bigint NOT NULL DEFAULT 0,
    lease_expires_at timestamptz,
    last_event_seq bigint NOT NULL DEFAULT 0
);
CREATE INDEX ix_operations_ready ON operations (priority DESC, seq) WHERE status = 0;
CREATE INDEX ix_operations_leases ON operations (lease_expires_at) WHERE status = 1;
CREATE INDEX ix_operations_deadlines ON operations (deadline_at) WHERE status = 0 AND deadline_at IS NOT NULL;
CREATE INDEX ix_operations_tenant ON operations (tenant, seq DESC);
CREATE INDEX ix_operations_tenant_status ON operations (tenant, status, seq DESC);
CREATE INDEX ix_operations_finished ON operations (finished_at) WHERE status >= 2;
