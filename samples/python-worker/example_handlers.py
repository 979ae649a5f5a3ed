"""Example handlers for longhaul_worker.py (the end-to-end tests and bench/remote-workers.sh run these).

    python3 longhaul_worker.py --url http://localhost:8080 --module example_handlers
"""

import time

from longhaul_worker import PermanentError


def report(job):
    """Counts rows 1..input.rows, one output chunk, checkpoint and progress per row, `delay` seconds each; resumes
    from the checkpoint after a crash."""
    rows = job.input["rows"]
    delay = job.input.get("delay", 0.05)
    start = (job.checkpoint or {}).get("row", 0)
    row = start
    while row < rows:
        job.check()
        time.sleep(delay)
        row += 1
        job.output({"row": row, "attempt": job.attempt})
        job.checkpoint_save({"row": row}, progress={"current": row, "total": rows, "unit": "rows"})
    result = {"rows": rows, "resumed_from": start, "attempt": job.attempt}
    if job.input.get("csv"):
        body = "row\n" + "".join(f"{i}\n" for i in range(1, rows + 1))
        result["csv_url"] = job.upload_file("rows.csv", body.encode(), "text/csv")
    return result


def noop(job):
    """Zero work: the benchmark's drain."""
    return None


def wait_cancel(job):
    """Runs until cancelled (or input.seconds pass): the cancel-latency benchmark."""
    until = time.monotonic() + job.input.get("seconds", 60)
    while time.monotonic() < until:
        job.check()
        time.sleep(0.005)
    return {"cancelled": False}


def refuse(job):
    """Always fails, permanently."""
    raise PermanentError("refused", "This kind always refuses.", {"input": job.input})


def flaky(job):
    """Raises an unexpected error on its first `input.failures` attempts (default 1), so the server retries it; then succeeds."""
    if job.attempt <= job.input.get("failures", 1):
        raise RuntimeError(f"flaky failure on attempt {job.attempt}")
    return {"attempt": job.attempt}


HANDLERS = {"report": report, "noop": noop, "wait_cancel": wait_cancel, "refuse": refuse, "flaky": flaky}
