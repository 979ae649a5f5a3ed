namespace Longhaul.Postgres;

/// <summary>
/// Numbered, forward-only migrations. Never edit a shipped one: add the next. Statements are unqualified: the store's
/// connections put its schema first on the <c>search_path</c>.
/// </summary>
internal static class PostgresSchema
{
    public static readonly IReadOnlyList<(int Version, string Sql)> Migrations =
    [
        (1, """
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

            CREATE TABLE operation_events (
                operation_seq bigint NOT NULL,
                seq bigint NOT NULL,
                type text NOT NULL,
                data json,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (operation_seq, seq)
            );

            CREATE TABLE idempotency_keys (
                tenant text NOT NULL,
                key text NOT NULL,
                request_hash text NOT NULL,
                operation_id text NOT NULL,
                in_flight_until timestamptz,
                expires_at timestamptz NOT NULL,
                PRIMARY KEY (tenant, key)
            );
            CREATE INDEX ix_idempotency_expires ON idempotency_keys (expires_at);
            CREATE INDEX ix_idempotency_operation ON idempotency_keys (operation_id);

            CREATE TABLE api_keys (
                id text PRIMARY KEY,
                tenant text NOT NULL,
                key_hash text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL,
                revoked_at timestamptz
            );
            """),
        (2, """
            CREATE TABLE operation_files (
                operation_seq bigint NOT NULL,
                name text NOT NULL,
                epoch bigint NOT NULL,
                content_type text NOT NULL,
                length bigint NOT NULL,
                chunks integer NOT NULL,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (operation_seq, name)
            );

            CREATE TABLE operation_file_chunks (
                operation_seq bigint NOT NULL,
                name text NOT NULL,
                idx integer NOT NULL,
                epoch bigint NOT NULL,
                data bytea NOT NULL,
                PRIMARY KEY (operation_seq, name, idx)
            );
            ALTER TABLE operation_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
            """),
        // Room on every page for a row's next version, so a worker's progress and checkpoint writes (which change no
        // indexed column) are HOT updates: no new entry in any of the table's indexes. Claims and completions change
        // the status, which the partial indexes depend on, and are never HOT. Pages written before keep their fill.
        (3, """
            ALTER TABLE operations SET (fillfactor = 80);
            """),
        // Server secrets every node reads (the page-token key, ADR 12).
        (4, """
            CREATE TABLE secrets (
                name text PRIMARY KEY,
                value bytea NOT NULL,
                created_at timestamptz NOT NULL
            );
            """),
        // Completion webhooks (issue 13): one delivery per finished operation with a callback URL, inserted by the
        // final-state write itself; its attempts; the tenants' signing secrets (one current, others in a rotation's overlap).
        (5, """
            CREATE TABLE webhook_deliveries (
                id text PRIMARY KEY,
                operation_seq bigint NOT NULL UNIQUE,
                operation_id text NOT NULL,
                tenant text NOT NULL,
                url text NOT NULL,
                event_type text NOT NULL,
                status integer NOT NULL DEFAULT 0,
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                window_start timestamptz NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                lease_owner text,
                lease_epoch bigint NOT NULL DEFAULT 0,
                lease_expires_at timestamptz
            );
            CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 0;
            CREATE INDEX ix_webhook_deliveries_leases ON webhook_deliveries (lease_expires_at) WHERE status = 1;

            CREATE TABLE webhook_attempts (
                delivery_id text NOT NULL,
                attempt integer NOT NULL,
                started_at timestamptz NOT NULL,
                duration_ms integer NOT NULL,
                status_code integer,
                error text,
                outcome integer NOT NULL,
                next_attempt_at timestamptz,
                PRIMARY KEY (delivery_id, attempt)
            );

            CREATE TABLE webhook_secrets (
                tenant text NOT NULL,
                secret text NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz,
                PRIMARY KEY (tenant, secret)
            );
            CREATE UNIQUE INDEX ux_webhook_secrets_current ON webhook_secrets (tenant) WHERE expires_at IS NULL;
            """),
        // Tracing (issue 18): the W3C traceparent of the request that started the operation; each attempt's trace links to it.
        (6, "ALTER TABLE operations ADD COLUMN trace_parent text;"),
        // Remote workers (issue 12): a key's scope (0 client, 1 worker) and a worker key's kinds (NULL: any).
        (7, """
            ALTER TABLE api_keys ADD COLUMN scope integer NOT NULL DEFAULT 0, ADD COLUMN kinds text[];
            """),
        // Resumable uploads (issue 14, tus): the upload and its bytes in chunks keyed by the offset of their first byte;
        // chunks at or past `received` are staged by a request whose checksum is not verified yet.
        (8, """
            CREATE TABLE uploads (
                id text PRIMARY KEY,
                tenant text NOT NULL,
                length bigint NOT NULL,
                received bigint NOT NULL DEFAULT 0,
                metadata text,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL
            );
            CREATE INDEX ix_uploads_expires ON uploads (expires_at);

            CREATE TABLE upload_chunks (
                upload_id text NOT NULL,
                start bigint NOT NULL,
                data bytea NOT NULL,
                PRIMARY KEY (upload_id, start)
            );
            """),
        // Remote kinds registered at run time by worker keys (issue 12): tenant '*' for every tenant.
        (12, """
            CREATE TABLE registered_kinds (
                tenant text NOT NULL,
                name text NOT NULL,
                description text,
                input_schema text,
                max_attempts integer,
                timeout_seconds double precision,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (tenant, name)
            );
            CREATE INDEX ix_registered_kinds_name ON registered_kinds (name);
            """),
        // Per-tenant limit overrides (issue 19): one nullable column per limit; a missing row or a NULL uses the configured default.
        (13, """
            CREATE TABLE tenant_limits (
                tenant text PRIMARY KEY,
                weight integer,
                max_running integer,
                max_pending integer,
                create_rate_per_second double precision,
                create_burst integer,
                max_connections integer,
                max_events_per_operation integer,
                max_stored_bytes bigint,
                updated_at timestamptz NOT NULL
            );
            """),
        // Admission limits (issue 19): the tenant's MaxEventsPerOperation in force when the operation was started; fenced
        // event writes past it fail the operation (event_limit_exceeded). Null: no limit. Uploads by tenant: stored-bytes checks.
        (14, """
            ALTER TABLE operations ADD COLUMN max_events integer;
            CREATE INDEX ix_uploads_tenant ON uploads (tenant);
            """),
        // The registry of remote workers (issue 12): one row per worker key tenant and worker name, written at most every
        // few seconds per worker by the node that hears from it; tenant '*' for an every-tenant key.
        (15, """
            CREATE TABLE workers (
                tenant text NOT NULL,
                name text NOT NULL,
                key_id text,
                kinds text,
                node text NOT NULL,
                first_seen_at timestamptz NOT NULL,
                last_seen_at timestamptz NOT NULL,
                last_claim_at timestamptz,
                PRIMARY KEY (tenant, name)
            );
            CREATE INDEX ix_workers_last_seen ON workers (last_seen_at);
            """),
        // Fair scheduling (issue 19, ADR 0025): each operation's virtual start (`vt`, start-time fair queuing over tenants),
        // walked by the claim in (vt, seq) order; priority within a tenant by (tenant, priority DESC, seq). Concurrency keys
        // and a start deadline.
        (23, """
            ALTER TABLE operations ADD COLUMN vt double precision NOT NULL DEFAULT 0,
                ADD COLUMN concurrency_key text, ADD COLUMN concurrency_limit integer, ADD COLUMN start_by timestamptz;
            CREATE INDEX ix_operations_fair ON operations (vt, seq) WHERE status = 0;
            CREATE INDEX ix_operations_tenant_ready ON operations (tenant, priority DESC, seq) WHERE status = 0;
            CREATE INDEX ix_operations_tenant_vt ON operations (tenant, vt) WHERE status = 0;
            CREATE INDEX ix_operations_running_vt ON operations (vt) WHERE status = 1;
            CREATE INDEX ix_operations_concurrency ON operations (concurrency_key, status) WHERE concurrency_key IS NOT NULL AND status < 2;
            CREATE INDEX ix_operations_start_by ON operations (start_by) WHERE status = 0 AND start_by IS NOT NULL;
            """),
    ];

    /// <summary>Serializes concurrent migrators (several nodes starting at once); the key is per schema.</summary>
    public const string LockMigrations = "SELECT pg_advisory_xact_lock(hashtextextended('longhaul.migrate.' || @schema, 0))";

    /// <summary>The one statement with a name in it: <paramref name="schema"/> is validated by the store as a plain lower-case identifier.</summary>
    public static string CreateSchema(string schema) => $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"; SET LOCAL search_path TO \"{schema}\"";

    public const string CreateMigrationsTable = "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)";
    public const string AppliedVersions = "SELECT version FROM schema_migrations";
    public const string RecordMigration = "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, now())";
}
