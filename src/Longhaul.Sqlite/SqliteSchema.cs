namespace Longhaul.Sqlite;

/// <summary>Numbered, forward-only migrations. Never edit a shipped one: add the next.</summary>
internal static class SqliteSchema
{
    public static readonly IReadOnlyList<(int Version, string Sql)> Migrations =
    [
        (1, """
            CREATE TABLE operations (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                tenant TEXT NOT NULL,
                kind TEXT NOT NULL,
                status INTEGER NOT NULL,
                input TEXT NOT NULL,
                metadata TEXT,
                callback_url TEXT,
                priority INTEGER NOT NULL DEFAULT 0,
                attempt INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                timeout_ms INTEGER,
                deadline_at INTEGER,
                run_after INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                started_at INTEGER,
                finished_at INTEGER,
                progress TEXT,
                estimated_completion INTEGER,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                result TEXT,
                error TEXT,
                checkpoint TEXT,
                lease_owner TEXT,
                lease_epoch INTEGER NOT NULL DEFAULT 0,
                lease_expires_at INTEGER,
                last_event_seq INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX ix_operations_ready ON operations (priority DESC, seq) WHERE status = 0;
            CREATE INDEX ix_operations_leases ON operations (lease_expires_at) WHERE status = 1;
            CREATE INDEX ix_operations_deadlines ON operations (deadline_at) WHERE status < 2 AND deadline_at IS NOT NULL;
            CREATE INDEX ix_operations_tenant ON operations (tenant, seq DESC);
            CREATE INDEX ix_operations_tenant_status ON operations (tenant, status, seq DESC);
            CREATE INDEX ix_operations_finished ON operations (finished_at) WHERE status >= 2;

            CREATE TABLE operation_events (
                operation_seq INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                type TEXT NOT NULL,
                data TEXT,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (operation_seq, seq)
            ) WITHOUT ROWID;

            CREATE TABLE idempotency_keys (
                tenant TEXT NOT NULL,
                key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                operation_id TEXT NOT NULL,
                in_flight_until INTEGER,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (tenant, key)
            ) WITHOUT ROWID;
            CREATE INDEX ix_idempotency_expires ON idempotency_keys (expires_at);
            CREATE INDEX ix_idempotency_operation ON idempotency_keys (operation_id);

            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                tenant TEXT NOT NULL,
                key_hash TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER
            );
            """),
        (2, """
            CREATE TABLE operation_files (
                operation_seq INTEGER NOT NULL,
                name TEXT NOT NULL,
                epoch INTEGER NOT NULL,
                content_type TEXT NOT NULL,
                length INTEGER NOT NULL,
                chunks INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (operation_seq, name)
            ) WITHOUT ROWID;

            CREATE TABLE operation_file_chunks (
                operation_seq INTEGER NOT NULL,
                name TEXT NOT NULL,
                idx INTEGER NOT NULL,
                epoch INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (operation_seq, name, idx)
            );
            """),
        (3, """
            CREATE TABLE secrets (
                name TEXT PRIMARY KEY,
                value BLOB NOT NULL,
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        // Completion webhooks (issue 13): one delivery per finished operation with a callback URL, inserted by the
        // final-state write itself; its attempts; the tenants' signing secrets (one current, others in a rotation's overlap).
        (4, """
            CREATE TABLE webhook_deliveries (
                id TEXT PRIMARY KEY,
                operation_seq INTEGER NOT NULL UNIQUE,
                operation_id TEXT NOT NULL,
                tenant TEXT NOT NULL,
                url TEXT NOT NULL,
                event_type TEXT NOT NULL,
                status INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                window_start INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                lease_owner TEXT,
                lease_epoch INTEGER NOT NULL DEFAULT 0,
                lease_expires_at INTEGER
            );
            CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 0;
            CREATE INDEX ix_webhook_deliveries_leases ON webhook_deliveries (lease_expires_at) WHERE status = 1;

            CREATE TABLE webhook_attempts (
                delivery_id TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                duration_ms INTEGER NOT NULL,
                status_code INTEGER,
                error TEXT,
                outcome INTEGER NOT NULL,
                next_attempt_at INTEGER,
                PRIMARY KEY (delivery_id, attempt)
            ) WITHOUT ROWID;

            CREATE TABLE webhook_secrets (
                tenant TEXT NOT NULL,
                secret TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER,
                PRIMARY KEY (tenant, secret)
            ) WITHOUT ROWID;
            CREATE UNIQUE INDEX ux_webhook_secrets_current ON webhook_secrets (tenant) WHERE expires_at IS NULL;
            """),
        // Tracing (issue 18): the W3C traceparent of the request that started the operation; each attempt's trace links to it.
        (5, "ALTER TABLE operations ADD COLUMN trace_parent TEXT;"),
        // Remote workers (issue 12): a key's scope (0 client, 1 worker) and a worker key's kinds (a JSON array; NULL: any).
        (6, """
            ALTER TABLE api_keys ADD COLUMN scope INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE api_keys ADD COLUMN kinds TEXT;
            """),
        // Resumable uploads (issue 14, tus): the upload and its bytes in chunks keyed by the offset of their first byte;
        // chunks at or past `received` are staged by a request whose checksum is not verified yet.
        (7, """
            CREATE TABLE uploads (
                id TEXT PRIMARY KEY,
                tenant TEXT NOT NULL,
                length INTEGER NOT NULL,
                received INTEGER NOT NULL DEFAULT 0,
                metadata TEXT,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX ix_uploads_expires ON uploads (expires_at);

            CREATE TABLE upload_chunks (
                upload_id TEXT NOT NULL,
                start INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (upload_id, start)
            );
            """),
        // Remote kinds registered at run time by worker keys (issue 12): tenant '*' for every tenant.
        (11, """
            CREATE TABLE registered_kinds (
                tenant TEXT NOT NULL,
                name TEXT NOT NULL,
                description TEXT,
                input_schema TEXT,
                max_attempts INTEGER,
                timeout_seconds REAL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (tenant, name)
            ) WITHOUT ROWID;
            CREATE INDEX ix_registered_kinds_name ON registered_kinds (name);
            """),
        // Per-tenant limit overrides (issue 19): one nullable column per limit; a missing row or a NULL uses the configured default.
        (13, """
            CREATE TABLE tenant_limits (
                tenant TEXT PRIMARY KEY,
                weight INTEGER,
                max_running INTEGER,
                max_pending INTEGER,
                create_rate_per_second REAL,
                create_burst INTEGER,
                max_connections INTEGER,
                max_events_per_operation INTEGER,
                max_stored_bytes INTEGER,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        // Admission limits (issue 19): the tenant's MaxEventsPerOperation in force when the operation was started; fenced
        // event writes past it fail the operation (event_limit_exceeded). Null: no limit. Uploads by tenant: stored-bytes checks.
        (14, """
            ALTER TABLE operations ADD COLUMN max_events INTEGER;
            CREATE INDEX ix_uploads_tenant ON uploads (tenant);
            """),
        // The registry of remote workers (issue 12): one row per worker key tenant and worker name, written at most every
        // few seconds per worker by the node that hears from it; tenant '*' for an every-tenant key.
        (15, """
            CREATE TABLE workers (
                tenant TEXT NOT NULL,
                name TEXT NOT NULL,
                key_id TEXT,
                kinds TEXT,
                node TEXT NOT NULL,
                first_seen_at INTEGER NOT NULL,
                last_seen_at INTEGER NOT NULL,
                last_claim_at INTEGER,
                PRIMARY KEY (tenant, name)
            ) WITHOUT ROWID;
            CREATE INDEX ix_workers_last_seen ON workers (last_seen_at);
            """),
        // Fair scheduling (issue 19, ADR 0025): each operation's virtual start (`vt`, start-time fair queuing over tenants),
        // walked by the claim in (vt, seq) order; priority within a tenant by (tenant, priority DESC, seq). Concurrency keys
        // and a start deadline. No (tenant, vt) index: a tenant's newest waiting operation has its largest vt, found through
        // ix_operations_tenant_status (each tenant-keyed index costs a claim spread over many tenants one page per tenant).
        (23, """
            ALTER TABLE operations ADD COLUMN vt REAL NOT NULL DEFAULT 0;
            ALTER TABLE operations ADD COLUMN concurrency_key TEXT;
            ALTER TABLE operations ADD COLUMN concurrency_limit INTEGER;
            ALTER TABLE operations ADD COLUMN start_by INTEGER;
            CREATE INDEX ix_operations_fair ON operations (vt, seq) WHERE status = 0;
            CREATE INDEX ix_operations_tenant_ready ON operations (tenant, priority DESC, seq) WHERE status = 0;
            CREATE INDEX ix_operations_running_vt ON operations (vt) WHERE status = 1;
            CREATE INDEX ix_operations_concurrency ON operations (concurrency_key, status) WHERE concurrency_key IS NOT NULL AND status < 2;
            CREATE INDEX ix_operations_start_by ON operations (start_by) WHERE status = 0 AND start_by IS NOT NULL;
            """),
        // No index keyed by tenant changes when a claim or a final write changes an operation's status (issue 19, ADR 0025
        // costs): a claim spread over many tenants paid about one page of each such index per tenant at every commit. A
        // tenant's unfinished work by `finished_at IS NULL` (no claim changes it; the final write removes the row once), its
        // finished work by status (written once), its ready work of non-default priority only. `finished_at` is set by
        // every final write and by nothing else: the backfill keeps that true for any older row. Each tenant's pending count
        // is kept in the same transaction (ADR 0031): by the start that inserts the operation (pending) and by triggers on every
        // status change and delete, so a start under `max_pending` reads one row instead of counting its backlog; all
        // tenants' counts share a page or a few. (No insert trigger: it gives every start a statement journal, +20 % CPU.)
        (16, """
            UPDATE operations SET finished_at = updated_at WHERE status >= 2 AND finished_at IS NULL;
            DROP INDEX IF EXISTS ix_operations_tenant_status;
            DROP INDEX IF EXISTS ix_operations_tenant_ready;
            CREATE INDEX ix_operations_tenant_active ON operations (tenant, seq DESC) WHERE finished_at IS NULL;
            CREATE INDEX ix_operations_tenant_finished ON operations (tenant, status, seq DESC) WHERE finished_at IS NOT NULL;
            CREATE INDEX ix_operations_tenant_prioritized ON operations (tenant, priority DESC, seq) WHERE status = 0 AND priority <> 0;
            CREATE TABLE tenant_pending (tenant TEXT PRIMARY KEY, pending INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO tenant_pending (tenant, pending) SELECT tenant, count(*) FROM operations WHERE status = 0 GROUP BY tenant;
            CREATE TRIGGER tr_operations_pending_update AFTER UPDATE OF status ON operations WHEN (old.status = 0) <> (new.status = 0) BEGIN
                INSERT INTO tenant_pending (tenant, pending) VALUES (new.tenant, CASE WHEN new.status = 0 THEN 1 ELSE -1 END)
                    ON CONFLICT (tenant) DO UPDATE SET pending = pending + excluded.pending;
            END;
            CREATE TRIGGER tr_operations_pending_delete AFTER DELETE ON operations WHEN old.status = 0 BEGIN
                UPDATE tenant_pending SET pending = pending - 1 WHERE tenant = old.tenant;
            END;
            """),
    ];

    public const string CreateMigrationsTable = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)";
    public const string AppliedVersions = "SELECT version FROM schema_migrations";
    public const string RecordMigration = "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $now)";
}
