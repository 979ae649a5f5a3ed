// Shared helpers of the graphile-worker peer benchmark (drain.mjs, dispatch.mjs, worker.mjs).
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Logger } from "graphile-worker";

const here = path.dirname(fileURLToPath(import.meta.url));

/** `--key value` arguments into an object; every key must be known. */
export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--") || i + 1 >= argv.length) throw new Error(`bad argument ${a} (expected --key value)`);
    const key = a.slice(2);
    if (!(key in defaults)) throw new Error(`unknown option --${key} (known: ${Object.keys(defaults).join(", ")})`);
    const v = argv[++i];
    out[key] = typeof defaults[key] === "number" ? Number(v) : v;
    if (typeof defaults[key] === "number" && !Number.isFinite(out[key])) throw new Error(`--${key} needs a number`);
  }
  if (!out.connection) throw new Error("--connection postgres://user:password@host:port/database is required (or set DATABASE_URL)");
  return out;
}

/** Graphile logs every completed job at info level by default; like the Longhaul servers here, log warnings and errors only. */
export const quietLogger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[graphile-worker ${level}] ${message}`);
});

/** Nearest-rank percentile over a sorted array (the same definition as Longhaul.Bench). */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((q / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank - 1, 0), sorted.length - 1)];
}

export const f = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "NaN");
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Forks `processes` worker.mjs children, each `run()`ning graphile-worker with `concurrency` and its own pool of
 * `poolSize` connections; resolves when every one has started. stop() asks each to stop gracefully and returns
 * the statistics each collected.
 */
export async function startWorkers({ connection, processes, concurrency, poolSize, mode }) {
  const children = [];
  for (let i = 0; i < processes; i++) {
    const child = fork(path.join(here, "worker.mjs"), [], {
      env: {
        ...process.env,
        NO_LOG_SUCCESS: "1",
        GW_CONNECTION: connection,
        GW_CONCURRENCY: String(concurrency),
        GW_POOL_SIZE: String(poolSize),
        GW_MODE: mode,
        GW_WORKER_INDEX: String(i),
        PGAPPNAME: "graphile-worker", // names the workers' sessions in pg_stat_activity (see backendCpuMs)
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const ready = new Promise((resolve, reject) => {
      child.once("message", (m) => (m.type === "ready" ? resolve() : reject(new Error(`worker ${i}: ${JSON.stringify(m)}`))));
      child.once("exit", (code) => reject(new Error(`worker ${i} exited with code ${code} before it was ready`)));
    });
    children.push({ child, ready });
  }
  await Promise.all(children.map((c) => c.ready));
  const stopAll = async () =>
    Promise.all(
      children.map(
        ({ child }) =>
          new Promise((resolve, reject) => {
            child.removeAllListeners("exit");
            child.once("message", (m) => (m.type === "stats" ? resolve(m) : reject(new Error(JSON.stringify(m)))));
            child.once("exit", (code) => reject(new Error(`worker exited with code ${code} before reporting`)));
            child.send({ type: "stop" });
          }),
      ),
    );
  const pids = children.map(({ child }) => child.pid);
  const kill = () => children.forEach(({ child }) => child.exitCode === null && child.kill("SIGKILL"));
  process.once("exit", kill);
  return { stop: stopAll, kill, pids };
}

/** Counts the jobs still in graphile-worker's table (done jobs are deleted, so 0 = drained). */
export async function jobsLeft(pool) {
  const { rows } = await pool.query("select count(*)::int as n from graphile_worker._private_jobs");
  return rows[0].n;
}

/** CPU time (user + system, ms) a process has used so far, from /proc; NaN where /proc is not readable. */
export function procCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100/s on Linux)
  } catch {
    return NaN;
  }
}

/**
 * CPU time (ms) used so far by the PostgreSQL backends of this database whose application_name is `app` (the
 * database runs on this machine: read from /proc). The workers open their sessions after the jobs were enqueued,
 * so this is the database's cost of claiming and completing them (plus session start-up).
 */
export async function backendCpuMs(client, app) {
  const { rows } = await client.query("select pid from pg_stat_activity where datname = current_database() and application_name = $1", [app]);
  return rows.reduce((sum, r) => sum + procCpuMs(r.pid), 0);
}
