// graphile-worker drain: enqueue COUNT no-op jobs with no worker running, then start PROCESSES worker processes
// (each `run()` with CONCURRENCY) and time first claim -> last job end; prints one machine-readable line.
//
//   node drain.mjs --connection postgres://postgres:longhaul@localhost:5432/graphile_bench \
//                  --count 20000 --processes 2 --concurrency 128 --pool-size 20
//
// Timing (the same clock on one machine): first = the earliest `locked_at` (the database's now() of the claim,
// as Longhaul's started_at), last = the latest moment a task function returned (graphile then deletes the row in
// completeJob, which this leaves out: the figure is slightly in graphile's favour). `empty_s` is the coarser
// check: from first to when this process saw the jobs table empty (polled every --poll-ms).
import { makeWorkerUtils } from "graphile-worker";
import { parseArgs, quietLogger, startWorkers, jobsLeft, sleep, f, procCpuMs, backendCpuMs } from "./common.mjs";

const a = parseArgs(process.argv.slice(2), {
  connection: process.env.DATABASE_URL ?? "",
  count: 20000,
  processes: 2,
  concurrency: 128,
  "pool-size": 20,
  "batch-size": 1000,
  "poll-ms": 100,
  timeout: 600,
});

const utils = await makeWorkerUtils({ connectionString: a.connection, logger: quietLogger });
try {
  await utils.migrate();
  const left0 = await utils.withPgClient((c) => jobsLeft(c));
  if (left0 !== 0) throw new Error(`graphile_worker._private_jobs already holds ${left0} jobs: use a fresh database`);

  console.log(`graphile-drain: enqueueing ${a.count} no-op jobs (addJobs, ${a["batch-size"]} per call), no worker running`);
  const t0 = Date.now();
  for (let done = 0; done < a.count; ) {
    const n = Math.min(a["batch-size"], a.count - done);
    await utils.addJobs(Array.from({ length: n }, () => ({ identifier: "noop", payload: {} })));
    done += n;
  }
  const enqueueS = (Date.now() - t0) / 1000;
  console.log(`  enqueued in ${f(enqueueS)}s; starting ${a.processes} worker process(es) x concurrency ${a.concurrency} (pool ${a["pool-size"]} each)`);

  const workers = await startWorkers({ connection: a.connection, processes: a.processes, concurrency: a.concurrency, poolSize: a["pool-size"], mode: "drain" });
  const deadline = Date.now() + a.timeout * 1000;
  let emptyAt;
  for (;;) {
    const left = await utils.withPgClient((c) => jobsLeft(c));
    if (left === 0) {
      emptyAt = Date.now();
      break;
    }
    if (Date.now() > deadline) {
      workers.kill();
      console.log(`graphile-drain: jobs=${a.count} drain_s=timeout(${a.timeout}s) left=${left}`);
      process.exit(1);
    }
    await sleep(a["poll-ms"]);
  }
  // CPU used by the worker processes (since they started: includes node's start-up) and by their database sessions.
  const clientCpuMs = workers.pids.reduce((sum, pid) => sum + procCpuMs(pid), 0);
  const dbCpuMs = await utils.withPgClient((c) => backendCpuMs(c, "graphile-worker"));
  const stats = await workers.stop();
  const jobs = stats.reduce((s, x) => s + x.jobs, 0);
  const first = Math.min(...stats.map((x) => x.firstLockedMs));
  const last = Math.max(...stats.map((x) => x.lastEndMs));
  const drainS = (last - first) / 1000;
  const perProcess = stats.map((x) => x.jobs).join("+");
  console.log(`  jobs run per process: ${perProcess}; drained ${f(drainS)}s after the first claim (table seen empty after ${f((emptyAt - first) / 1000)}s)`);
  console.log(
    `graphile-drain: jobs=${jobs} enqueue_s=${f(enqueueS)} drain_s=${f(drainS)} drain_ops_per_s=${f(jobs / Math.max(drainS, 1e-3), 1)} ` +
      `empty_s=${f((emptyAt - first) / 1000)} client_cpu_s=${f(clientCpuMs / 1000, 2)} db_cpu_s=${f(dbCpuMs / 1000, 2)} ` +
      `db_cpu_ms_per_op=${f(dbCpuMs / jobs, 3)} processes=${a.processes} concurrency=${a.concurrency} pool_size=${a["pool-size"]} per_process=${perProcess}`,
  );
  if (jobs !== a.count) {
    console.error(`graphile-drain: ${jobs} jobs ran, expected ${a.count}`);
    process.exitCode = 1;
  }
} finally {
  await utils.release();
}
