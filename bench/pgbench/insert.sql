-- One pgbench transaction = one single-row INSERT (autocommit, synchronous_commit on) of a row like the one
-- `POST /v1/operations {"kind":"sleep","input":{"seconds":0}}` stores: an `op_` + 26-character id that starts with
-- the time in ms like Longhaul's (so the unique index grows at its right edge, as it does there), tenant
-- `default`, kind `sleep`, status pending, input {"seconds":0}, max_attempts 3, run_after/created_at/updated_at now().
-- Set up by bench/pgbench/setup.sql; run by bench/postgres.sh as
--   pgbench -n -M prepared -c N -j 2 -T S -f bench/pgbench/insert.sql DATABASE
INSERT INTO pgbench_ops.operations (id, tenant, kind, status, input, max_attempts, run_after, created_at, updated_at)
VALUES ('op_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 1, 14), 'default', 'sleep', 0, '{"seconds":0}', 3, now(), now(), now());
