// graphile-worker dispatch latency: start PROCESSES worker processes (each `run()` with CONCURRENCY), then add
// no-op jobs open-loop at RATE/s for SECONDS (job i is added at t0 + i/RATE whatever happened to earlier adds; a
// late one is added at once, never skipped), after a WARMUP at the same rate that is excluded; prints one line.
//
//   node dispatch.mjs --connection postgres://postgres:longhaul@localhost:5432/graphile_bench \
//                     --rate 100 --seconds 20 --warmup 2 --processes 2 --concurrency 128 --pool-size 20
//
// Latency = locked_at - created_at of each job: the database's now() of the claim minus that of the insert, the
// same definition (and the same ms resolution) as Longhaul's started_at - created_at. `task_start` is the
// moment the task function was called (Date.now() in the worker) minus created_at, for reference.
import { makeWorkerUtils } from "graphile-worker";
import { parseArgs, quietLogger, startWorkers, jobsLeft, percentile, sleep, f } from "./common.mjs";

const a = parseArgs(process.argv.slice(2), {
  connection: process.env.DATABASE_URL ?? "",
  rate: 100,
  seconds: 20,
  warmup: 2,
  processes: 2,
  concurrency: 128,
  "pool-size": 20,
  timeout: 60,
});

const utils = await makeWorkerUtils({ connectionString: a.connection, logger: quietLogger });
let workers;
try {
  await utils.migrate();
  workers = await startWorkers({ connection: a.connection, processes: a.processes, concurrency: a.concurrency, poolSize: a["pool-size"], mode: "dispatch" });

  // addJob open-loop; returns [{ id, addMs }] of the jobs added and the largest schedule lag.
  const openLoop = async (seconds) => {
    const total = Math.max(1, Math.round(a.rate * seconds));
    const adds = [];
    let maxLag = 0;
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / a.rate;
      const remaining = due - performance.now();
      if (remaining >= 1) await sleep(Math.floor(remaining));
      maxLag = Math.max(maxLag, performance.now() - due);
      const s = performance.now();
      adds.push(utils.addJob("noop", {}).then((job) => ({ id: String(job.id), addMs: performance.now() - s })));
    }
    const done = await Promise.all(adds);
    return { done, elapsed: (performance.now() - t0) / 1000, maxLag };
  };
  const waitEmpty = async () => {
    const deadline = Date.now() + a.timeout * 1000;
    while ((await utils.withPgClient((c) => jobsLeft(c))) > 0) {
      if (Date.now() > deadline) throw new Error(`jobs still queued after ${a.timeout}s`);
      await sleep(50);
    }
  };

  if (a.warmup > 0) {
    console.log(`graphile-dispatch: warm-up ${a.warmup}s at ${a.rate}/s (excluded)`);
    await openLoop(a.warmup);
    await waitEmpty();
  }
  console.log(`graphile-dispatch: adding no-op jobs open-loop at ${a.rate}/s for ${a.seconds}s; ${a.processes} worker process(es) x concurrency ${a.concurrency} (pool ${a["pool-size"]} each)`);
  const phase = await openLoop(a.seconds);
  await waitEmpty();
  const stats = await workers.stop();
  workers = undefined;

  const measured = new Set(phase.done.map((d) => d.id));
  const claim = [];
  const start = [];
  for (const s of stats) {
    for (const [id, created, locked, started] of s.samples) {
      if (!measured.has(id)) continue;
      claim.push(locked - created);
      start.push(started - created);
    }
  }
  const byNum = (x, y) => x - y;
  claim.sort(byNum);
  start.sort(byNum);
  const addLat = phase.done.map((d) => d.addMs).sort(byNum);
  console.log(`  added ${phase.done.length} jobs in ${f(phase.elapsed)}s (achieved ${f(phase.done.length / phase.elapsed, 1)}/s), max schedule lag ${f(phase.maxLag, 1)}ms`);
  console.log(`  add latency (client-observed): p50=${f(percentile(addLat, 50))}ms p99=${f(percentile(addLat, 99))}ms`);
  console.log(`  dispatch latency locked_at - created_at over ${claim.length} jobs: p50=${f(percentile(claim, 50), 1)}ms p90=${f(percentile(claim, 90), 1)}ms p99=${f(percentile(claim, 99), 1)}ms max=${f(percentile(claim, 100), 1)}ms`);
  console.log(`  task start - created_at: p50=${f(percentile(start, 50), 1)}ms p99=${f(percentile(start, 99), 1)}ms`);
  console.log(
    `graphile-dispatch: rate=${f(a.rate, 1)} seconds=${f(a.seconds, 1)} jobs=${claim.length} added=${phase.done.length} ` +
      `start_p50_ms=${f(percentile(claim, 50), 1)} start_p90_ms=${f(percentile(claim, 90), 1)} start_p99_ms=${f(percentile(claim, 99), 1)} ` +
      `start_max_ms=${f(percentile(claim, 100), 1)} task_start_p50_ms=${f(percentile(start, 50), 1)} task_start_p99_ms=${f(percentile(start, 99), 1)} ` +
      `add_p50_ms=${f(percentile(addLat, 50))} add_p99_ms=${f(percentile(addLat, 99))} max_sched_lag_ms=${f(phase.maxLag, 1)} ` +
      `processes=${a.processes} concurrency=${a.concurrency} pool_size=${a["pool-size"]}`,
  );
  if (claim.length !== phase.done.length) {
    console.error(`graphile-dispatch: ${claim.length} of ${phase.done.length} measured jobs were seen running`);
    process.exitCode = 1;
  }
} finally {
  if (workers) workers.kill();
  await utils.release();
}
