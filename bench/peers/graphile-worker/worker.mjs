// One graphile-worker process (forked by drain.mjs or dispatch.mjs): runs the no-op task with the given
// concurrency and pool size until its parent says stop, then reports what it saw over IPC.
//
// Settings are graphile-worker's defaults except: the task list (one no-op task), `concurrency`, `maxPoolSize`,
// `noHandleSignals: true` (the parent stops it over IPC) and a logger that drops info/debug lines (graphile logs
// every completed job at info level; NO_LOG_SUCCESS=1 is set too). pollInterval stays at its default (2 s) and new
// jobs arrive by LISTEN/NOTIFY, as graphile does by default. Optional batching (off by default in graphile-worker):
// GW_LOCAL_QUEUE_SIZE (preset.worker.localQueue.size) and GW_COMPLETE_JOB_BATCH_DELAY (preset.worker.completeJobBatchDelay, ms).
import { run } from "graphile-worker";
import { quietLogger } from "./common.mjs";

const mode = process.env.GW_MODE ?? "drain";
const stats = { jobs: 0, firstLockedMs: Infinity, lastEndMs: 0, samples: [] };

const taskList = {
  noop: async (_payload, helpers) => {
    const startMs = Date.now();
    const job = helpers.job;
    stats.jobs++;
    const locked = job.locked_at.getTime();
    if (locked < stats.firstLockedMs) stats.firstLockedMs = locked;
    if (mode === "dispatch") {
      // created_at and locked_at are the database's now() of the insert and of the claim (ms resolution).
      stats.samples.push([String(job.id), job.created_at.getTime(), locked, startMs]);
    }
    stats.lastEndMs = Date.now(); // no-op: it ends as it starts; graphile then deletes the row (completeJob)
  },
};

const worker = {};
const localQueueSize = Number(process.env.GW_LOCAL_QUEUE_SIZE ?? -1);
const completeDelay = Number(process.env.GW_COMPLETE_JOB_BATCH_DELAY ?? -1);
if (localQueueSize > 1) worker.localQueue = { size: localQueueSize };
if (completeDelay >= 0) worker.completeJobBatchDelay = completeDelay;

const runner = await run({
  connectionString: process.env.GW_CONNECTION,
  concurrency: Number(process.env.GW_CONCURRENCY),
  maxPoolSize: Number(process.env.GW_POOL_SIZE),
  noHandleSignals: true,
  logger: quietLogger,
  taskList,
  preset: { worker },
});

process.on("message", async (m) => {
  if (m.type !== "stop") return;
  await runner.stop();
  process.send({ type: "stats", index: Number(process.env.GW_WORKER_INDEX), ...stats }, () => process.exit(0));
});
process.on("disconnect", () => process.exit(1)); // parent gone
process.send({ type: "ready" });
