#!/usr/bin/env python3
"""A Longhaul remote worker in one file, standard library only.

It claims operations of remote kinds over the worker protocol (docs/workers.md), runs one handler function per kind
on N threads, renews its leases in the background, streams output, checkpoints, honours cancel requests, and on
SIGTERM/SIGINT stops claiming, lets running handlers finish within a grace period and hands the rest back.

    import longhaul_worker as lw

    def report(job):
        row = (job.checkpoint or {}).get("row", 0)
        while row < job.input["rows"]:
            job.check()                      # raises when cancelled, shutting down or the lease is lost
            row += 1
            job.output({"row": row})         # batched, sent within ~100 ms
            job.checkpoint_save({"row": row}, progress={"current": row, "total": job.input["rows"]})
        return {"rows": row}

    lw.Worker("http://localhost:8080", api_key, {"report": report}, concurrency=4).run()

Or from the command line: python3 longhaul_worker.py --url URL --module example_handlers --concurrency 4
(the key from LONGHAUL_API_KEY; the module's HANDLERS dict maps kinds to functions). Kinds registered at run time
(--register KIND=SCHEMA_FILE) are deleted with --unregister KIND [--force]; --list-workers (with a client key) prints
the workers list (GET /v1/workers).
"""

import argparse
import http.client
import importlib
import json
import os
import queue
import signal
import socket
import sys
import threading
import time
import traceback
import urllib.parse

__all__ = ["Worker", "Job", "PermanentError", "Stopped", "LeaseLost", "EventLimitExceeded", "Cancelled", "ShuttingDown"]


class Stopped(Exception):
    """The handler must stop: see the subclasses for why."""


class LeaseLost(Stopped):
    """The lease no longer holds (409 lease_lost): another worker owns the operation; nothing more is written."""


class EventLimitExceeded(Stopped):
    """A write passed the tenant's max_events_per_operation (409 event_limit_exceeded): the server failed the operation
    with error.code event_limit_exceeded (not retried) and wrote nothing more; the handler wrote too many events."""


class Cancelled(Stopped):
    """A client asked to cancel the operation; the worker records it as cancelled."""


class ShuttingDown(Stopped):
    """The worker is stopping (SIGTERM) and the grace period ran out; the operation is handed back."""


class PermanentError(Exception):
    """Fail the operation without retrying: code (a-z, 0-9, _), message, optional details (a dict)."""

    def __init__(self, code, message, details=None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


class ApiError(Exception):
    def __init__(self, status, problem):
        super().__init__(f"{status} {problem.get('code')}: {problem.get('detail')}")
        self.status, self.problem = status, problem

    @property
    def code(self):
        return self.problem.get("code")


class Client:
    """Keep-alive HTTP/1.1 connections, one per thread; JSON in and out; problem documents raised as ApiError."""

    def __init__(self, url, api_key, timeout=60):
        parts = urllib.parse.urlsplit(url.rstrip("/"))
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.prefix = (parts.path or "") + "/v1"
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if api_key:
            self.headers["Authorization"] = "Bearer " + api_key
        self.timeout = timeout
        self.local = threading.local()

    def _connection(self):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            conn = cls(self.host, self.port, timeout=self.timeout)
            self.local.conn = conn
        return conn

    def post(self, path, body, traceparent=None):
        """POSTs JSON; `traceparent` (the claim answer's) makes the server's span of this call part of the attempt's trace."""
        headers = self.headers if traceparent is None else dict(self.headers, traceparent=traceparent)
        return self.send("POST", path, json.dumps(body, separators=(",", ":")).encode(), headers)

    def send(self, method, path, data, headers):
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, self.prefix + path, body=data, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        if response.status == 204:
            return None
        parsed = json.loads(payload) if payload else {}
        if response.status >= 400:
            raise ApiError(response.status, parsed)
        return parsed


class Job:
    """One claimed operation as the handler sees it."""

    def __init__(self, worker, claimed):
        self._worker = worker
        self.id = claimed["id"]
        self.kind = claimed["kind"]
        self.tenant = claimed["tenant"]
        self.attempt = claimed["attempt"]
        self.max_attempts = claimed["max_attempts"]
        self.input = claimed["input"]
        self.metadata = claimed.get("metadata")
        self.checkpoint = claimed.get("checkpoint")
        self.deadline_at = claimed.get("deadline_at")
        self.token = claimed["lease"]["token"]
        self.traceparent = claimed.get("traceparent")  # the attempt's trace (null when the server does not trace)
        self.cancel_requested = threading.Event()
        if claimed.get("cancel_requested"):
            self.cancel_requested.set()
        self.lost = threading.Event()
        self.done = threading.Event()
        self.lost_by = LeaseLost  # what lost is set for: LeaseLost, or EventLimitExceeded
        self._outputs = []
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()  # one batch in flight at a time, so chunks arrive in the order written

    def check(self):
        """Raises Stopped (LeaseLost, EventLimitExceeded, Cancelled, ShuttingDown) when the handler must stop; call it
        between steps."""
        if self.lost.is_set():
            raise self.lost_by(self.id)
        if self.cancel_requested.is_set():
            raise Cancelled(self.id)
        if self._worker.hand_back_now.is_set():
            raise ShuttingDown(self.id)

    @property
    def stopping(self):
        """True once the worker got SIGTERM: a handler may finish now, or checkpoint and call check()."""
        return self._worker.stopping.is_set()

    def progress(self, current=None, total=None, percent=None, unit=None, message=None):
        self._write("/leases/progress", {"progress": _progress(current, total, percent, unit, message)})

    def checkpoint_save(self, checkpoint, progress=None):
        """Stores the checkpoint (and progress, if given, a dict) in one durable write; a later attempt resumes from it."""
        self.flush()
        body = {"checkpoint": checkpoint}
        if progress is not None:
            body["progress"] = progress
        self._write("/leases/checkpoint", body)
        self.checkpoint = checkpoint

    def output(self, chunk):
        """Queues an output chunk (any JSON value); chunks go out in batches within about 100 ms."""
        with self._lock:
            self._outputs.append(chunk)
            full = len(self._outputs) >= self._worker.output_batch
        if full:
            self.flush()

    def flush(self):
        with self._send_lock:
            with self._lock:
                batch, self._outputs = self._outputs, []
            # Within the server's limits (Longhaul:Http:MaxOutputChunks, MaxWorkerBodyBytes: 256 chunks, 1 MiB).
            part, size = [], 0
            for chunk in batch:
                n = len(json.dumps(chunk, separators=(",", ":")))
                if part and (len(part) >= self._worker.output_batch or size + n > 512 * 1024):
                    self._write("/leases/output", {"chunks": part})
                    part, size = [], 0
                part.append(chunk)
                size += n
            if part:
                self._write("/leases/output", {"chunks": part})

    CHUNK_BYTES = 1024 * 1024

    def upload_file(self, name, data, content_type="application/octet-stream"):
        """Stores `data` (bytes) as the operation file `name` in 1 MiB chunks (each resent once after a broken
        connection) and returns its URL (GET /v1/operations/{id}/files/{name}). A later attempt uploads it again."""
        chunks = max(1, -(-len(data) // self.CHUNK_BYTES))
        headers = dict(self._worker.client.headers)
        headers.update({"Content-Type": "application/octet-stream", "Longhaul-Lease": self.token})
        for i in range(chunks):
            if self.lost.is_set():
                raise self.lost_by(self.id)
            try:
                self._worker.client.send("PUT", f"/leases/files/{name}/chunks/{i}", data[i * self.CHUNK_BYTES:(i + 1) * self.CHUNK_BYTES], headers)
            except ApiError as e:
                if e.code == "lease_lost":
                    self.lost.set()
                    raise LeaseLost(self.id) from e
                raise
        answer = self._write(f"/leases/files/{name}/finish", {"chunks": chunks, "length": len(data), "content_type": content_type})
        return answer["url"]

    def _write(self, path, body):
        if self.lost.is_set():
            raise self.lost_by(self.id)
        body["lease"] = self.token
        try:
            return self._worker.client.post(path, body, self.traceparent)
        except ApiError as e:
            if e.code == "lease_lost":
                self._worker.log(f"lease_lost {path} {self.id}")
                self.lost.set()
                raise LeaseLost(self.id) from e
            if e.code == "event_limit_exceeded":
                self._worker.log(f"event_limit_exceeded {path} {self.id}")
                self.lost_by = EventLimitExceeded
                self.lost.set()
                raise EventLimitExceeded(self.id) from e
            raise


def _progress(current, total, percent, unit, message):
    p = {}
    for key, value in (("current", current), ("total", total), ("percent", percent), ("unit", unit), ("message", message)):
        if value is not None:
            p[key] = value
    return p


class Worker:
    """Claims and runs operations of the kinds in `handlers` (kind -> function(job) returning the result)."""

    def __init__(self, url, api_key, handlers, concurrency=4, name=None, wait_seconds=20, grace_seconds=10,
                 watch_cancel=True, output_batch=64, log=None):
        self.client = Client(url, api_key)
        self.handlers = dict(handlers)
        self.concurrency = concurrency
        self.name = name or f"{socket.gethostname()}/{os.getpid()}"
        self.wait_seconds = wait_seconds
        self.grace_seconds = grace_seconds
        self.watch_cancel = watch_cancel
        self.output_batch = output_batch
        self.stopping = threading.Event()
        self.hand_back_now = threading.Event()
        self.heartbeat_interval = 10.0
        self.running = {}
        self.running_lock = threading.Lock()
        self.slots = threading.Semaphore(concurrency)
        self.jobs = queue.Queue()
        self._log = log or (lambda line: print(line, flush=True))

    def log(self, line):
        self._log(f"{time.strftime('%H:%M:%S')}.{int(time.time() * 1000) % 1000:03d} [{self.name}] {line}")

    def stop(self, *_):
        """Stop claiming; running handlers get the grace period, then their operations are handed back."""
        if not self.stopping.is_set():
            self.log("stopping")
            self.stopping.set()

    def run(self):
        threads = [threading.Thread(target=self._run_jobs, daemon=True) for _ in range(self.concurrency)]
        threads.append(threading.Thread(target=self._heartbeats, daemon=True))
        threads.append(threading.Thread(target=self._flusher, daemon=True))
        for t in threads:
            t.start()
        claimer = threading.Thread(target=self._claim_loop, daemon=True)
        claimer.start()
        self.log(f"started kinds={','.join(sorted(self.handlers))} concurrency={self.concurrency}")
        while not self.stopping.wait(0.5):
            pass
        self._drain()
        self.log("stopped")

    def _claim_loop(self):
        # On its own thread, so that a long-poll in progress never delays SIGTERM: the main thread drains meanwhile,
        # and a claim that returns after the stop hands its operations straight back.
        while not self.stopping.is_set():
            free = self._free_slots()
            if free == 0:
                continue
            try:
                claimed = self._claim(free)
            except Exception as e:  # the server is away: wait and claim again
                if not self.stopping.is_set():
                    self.log(f"claim failed: {e}")
                    self.stopping.wait(1)
                claimed = []
            for _ in range(free - len(claimed)):
                self.slots.release()
            for c in claimed:
                job = Job(self, c)
                with self.running_lock:
                    self.running[job.id] = job
                self.log(f"claimed {job.id} kind={job.kind} attempt={job.attempt} checkpoint={json.dumps(job.checkpoint)}")
                self.jobs.put(job)

    def _free_slots(self):
        """Waits for a free slot; under a backlog waits a few ms more so that slots freed together are claimed together."""
        if not self.slots.acquire(timeout=0.5):
            return 0
        free = 1
        if self.concurrency >= 4:
            time.sleep(0.005)
        while self.slots.acquire(blocking=False):
            free += 1
        return free

    def _claim(self, free):
        wait = 0 if self.stopping.is_set() else self.wait_seconds
        answer = self.client.post("/workers/claim", {"worker": self.name, "kinds": sorted(self.handlers), "max": free, "wait_seconds": wait})
        claimed = answer["operations"]
        if claimed:
            self.heartbeat_interval = float(claimed[0]["lease"]["heartbeat_interval_seconds"])
        if self.stopping.is_set():  # SIGTERM arrived during the long-poll: give these back unstarted
            for c in claimed:
                self._hand_back(c["lease"]["token"], c["id"])
            return []
        return claimed

    def _drain(self):
        deadline = time.monotonic() + self.grace_seconds
        while time.monotonic() < deadline:
            with self.running_lock:
                if not self.running:
                    return
            time.sleep(0.05)
        self.hand_back_now.set()
        time.sleep(0.5)
        with self.running_lock:
            left = list(self.running.values())
        for job in left:  # handlers that ignore check(): their later writes are fenced off
            self._hand_back(job.token, job.id)

    def _run_jobs(self):
        while True:
            job = self.jobs.get()
            try:
                self._run(job)
            finally:
                job.done.set()
                with self.running_lock:
                    self.running.pop(job.id, None)
                self.slots.release()

    def _run(self, job):
        if self.watch_cancel:
            threading.Thread(target=self._watch, args=(job,), daemon=True).start()
        try:
            result = self.handlers[job.kind](job)
            job.flush()
            self.client.post("/leases/complete", {"lease": job.token, "result": result}, job.traceparent)
            self.log(f"completed {job.id}")
        except Stopped as stopped:
            self._stopped(job, stopped)
        except PermanentError as e:
            self._finish(job, "/leases/fail", {"code": e.code, "message": e.message, "details": e.details, "retryable": False}, "failed")
        except ApiError as e:
            if e.code == "lease_lost":
                self.log(f"lease_lost /leases/complete {job.id}")
            else:
                self.log(f"write failed {job.id}: {e}")
        except Exception as e:  # anything else is retried by the server's policy, with its own backoff
            self.log(f"handler error {job.id}: {traceback.format_exception_only(type(e), e)[-1].strip()}")
            self._finish(job, "/leases/fail", {"code": "handler_error", "message": "The handler raised an unexpected error.", "retryable": True}, "failed (retryable)")

    def _stopped(self, job, stopped):
        if isinstance(stopped, LeaseLost):
            self.log(f"lease lost {job.id}; stopped")
        elif isinstance(stopped, EventLimitExceeded):
            self.log(f"event limit exceeded {job.id}: the operation failed with event_limit_exceeded; stopped")
        elif isinstance(stopped, Cancelled):
            self._finish(job, "/leases/cancelled", {}, "cancelled")
        else:
            self._hand_back(job.token, job.id)

    def _finish(self, job, path, body, what):
        body["lease"] = job.token
        try:
            job.flush()
            self.client.post(path, body, job.traceparent)
            self.log(f"{what} {job.id}")
        except (ApiError, Stopped) as e:
            if isinstance(e, EventLimitExceeded) or getattr(e, "code", None) == "event_limit_exceeded":
                self.log(f"event_limit_exceeded {path} {job.id}")
            else:
                self.log(f"lease_lost {path} {job.id}" if isinstance(e, Stopped) or e.code == "lease_lost" else f"write failed {job.id}: {e}")

    def _hand_back(self, token, op_id):
        try:
            self.client.post("/leases/hand-back", {"lease": token})
            self.log(f"handed back {op_id}")
        except Exception as e:
            self.log(f"hand-back failed {op_id}: {e}")

    def _heartbeats(self):
        last = time.monotonic()
        while True:
            # Re-read the interval each time: the first claim's answer sets it (the server's, below its lease duration).
            time.sleep(0.05)
            if time.monotonic() - last < self.heartbeat_interval:
                continue
            last = time.monotonic()
            with self.running_lock:
                jobs = {j.token: j for j in self.running.values() if not j.lost.is_set()}
            if not jobs:
                continue
            try:
                answer = self.client.post("/leases/heartbeat", {"worker": self.name, "leases": list(jobs)})
                for lease in answer["leases"]:
                    job = jobs.get(lease["lease"])
                    if job is None:
                        continue
                    if not lease["held"]:
                        job.lost.set()
                    elif lease["cancel_requested"]:
                        job.cancel_requested.set()
            except ApiError as e:
                if e.code == "lease_lost":
                    self.log("lease_lost /leases/heartbeat " + " ".join(j.id for j in jobs.values()))
                    for job in jobs.values():
                        job.lost.set()
                else:
                    self.log(f"heartbeat failed: {e}")
            except Exception as e:
                self.log(f"heartbeat failed: {e}")

    def _watch(self, job):
        # The faster cancel signal: only for operations that run a while (a quick one finishes before it matters).
        if job.done.wait(0.2):
            return
        while not job.done.is_set() and not job.lost.is_set():
            try:
                answer = self.client.post("/leases/watch", {"lease": job.token, "wait_seconds": 20})
            except ApiError as e:
                if e.code == "lease_lost":
                    job.lost.set()
                return
            except Exception:
                if job.done.wait(1):
                    return
                continue
            if answer["cancel_requested"]:
                job.cancel_requested.set()
                return
            if not answer["held"]:
                job.lost.set()
                return

    def _flusher(self):
        while True:
            time.sleep(0.1)
            with self.running_lock:
                jobs = list(self.running.values())
            for job in jobs:
                try:
                    job.flush()
                except Exception:
                    pass  # the handler's next write reports it


def register_kind(client, kind, schema_file, handler=None):
    """Registers a remote kind at run time (PUT /v1/kinds/{kind}): its input schema, and the handler's first doc line as its description."""
    with open(schema_file, encoding="utf-8") as f:
        body = {"input_schema": json.load(f)}
    doc = (handler.__doc__ or "").strip().splitlines() if handler else []
    if doc:
        body["description"] = doc[0]
    data = json.dumps(body, separators=(",", ":")).encode()
    client.send("PUT", "/kinds/" + urllib.parse.quote(kind, safe=""), data, client.headers)
    print(f"registered kind {kind}", flush=True)


def unregister_kind(client, kind, force=False):
    """Deletes a kind registered at run time (DELETE /v1/kinds/{kind}): refused with 409 kind_in_use while operations of
    it are pending or running, unless force, which cancels them; built-in and configured kinds answer 409
    kind_not_deletable. Every node stops knowing the kind at once."""
    path = "/kinds/" + urllib.parse.quote(kind, safe="") + ("?force=true" if force else "")
    client.send("DELETE", path, None, client.headers)
    print(f"deleted kind {kind}", flush=True)


def list_workers(client):
    """The workers the key's tenant sees (GET /v1/workers, a client key): name, key_id, kinds, node, first/last seen,
    last claim, running leases and status (active, idle, gone), from the store's registry, whichever node they talk to."""
    return client.send("GET", "/workers", None, client.headers)["workers"]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run a Longhaul remote worker.")
    parser.add_argument("--url", required=True, help="the Longhaul server, e.g. http://localhost:8080")
    parser.add_argument("--module", help="a module with HANDLERS = {kind: function} (required to run a worker)")
    parser.add_argument("--kinds", help="comma-separated subset of the module's kinds to claim")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--name", help="the worker's name (default host/pid)")
    parser.add_argument("--wait-seconds", type=float, default=20)
    parser.add_argument("--grace-seconds", type=float, default=10)
    parser.add_argument("--no-watch", action="store_true", help="learn of cancels from heartbeats only")
    parser.add_argument("--register", action="append", default=[], metavar="KIND=SCHEMA_FILE",
                        help="register KIND at start (PUT /v1/kinds/KIND) with the input JSON Schema in SCHEMA_FILE; repeatable")
    parser.add_argument("--unregister", action="append", default=[], metavar="KIND",
                        help="delete KIND, registered at run time (DELETE /v1/kinds/KIND), then exit; repeatable")
    parser.add_argument("--force", action="store_true", help="with --unregister: cancel the kind's pending and running operations")
    parser.add_argument("--list-workers", action="store_true",
                        help="print the workers the key's tenant sees (GET /v1/workers, needs a client key) as JSON lines, then exit")
    args = parser.parse_args(argv)
    if args.unregister or args.list_workers:
        client = Client(args.url, os.environ.get("LONGHAUL_API_KEY"))
        try:
            for kind in args.unregister:
                unregister_kind(client, kind, args.force)
            if args.list_workers:
                for w in list_workers(client):
                    print(json.dumps(w, separators=(",", ":")), flush=True)
        except ApiError as e:
            print(f"refused: {json.dumps(e.problem)}", file=sys.stderr, flush=True)
            sys.exit(2)
        return
    if not args.module:
        parser.error("--module is required to run a worker")
    sys.path.insert(0, os.getcwd())
    handlers = importlib.import_module(args.module).HANDLERS
    if args.kinds:
        handlers = {k: handlers[k] for k in args.kinds.split(",")}
    for item in args.register:
        kind, _, schema_file = item.partition("=")
        try:
            register_kind(Client(args.url, os.environ.get("LONGHAUL_API_KEY")), kind, schema_file, handlers.get(kind))
        except ApiError as e:
            print(f"registering kind {kind} was refused: {json.dumps(e.problem)}", file=sys.stderr, flush=True)
            sys.exit(2)
    worker = Worker(args.url, os.environ.get("LONGHAUL_API_KEY"), handlers, concurrency=args.concurrency, name=args.name,
                    wait_seconds=args.wait_seconds, grace_seconds=args.grace_seconds, watch_cancel=not args.no_watch)
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    worker.run()


if __name__ == "__main__":
    # Run as a script, this file is the module `__main__`: handler modules that `import longhaul_worker` must get this
    # same module, or their `PermanentError` would be another class and be treated as an unexpected (retried) error.
    sys.modules.setdefault("longhaul_worker", sys.modules[__name__])
    main()
