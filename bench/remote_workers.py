#!/usr/bin/env python3
"""Helper of bench/remote-workers.sh (standard library only): creates operations, measures drains by the server's
clock, and measures cancel latency to a remote worker."""

import http.client
import json
import sys
import threading
import time
import urllib.parse
from datetime import datetime


def conn(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)


def call(c, method, path, body=None):
    c.request(method, path, body=None if body is None else json.dumps(body), headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data else None)


def create(url, kind, inp, count, threads=8):
    """POSTs `count` operations of `kind` over `threads` keep-alive connections."""
    per = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]

    def run(n):
        c = conn(url)
        for _ in range(n):
            status, body = call(c, "POST", "/v1/operations", {"kind": kind, "input": inp})
            if status != 202:
                raise SystemExit(f"create answered {status}: {body}")

    ts = [threading.Thread(target=run, args=(n,)) for n in per]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def drain(url, kind, count, timeout=600):
    """Waits until every operation of `kind` is done, then: ops/s from the first started_at to the last finished_at."""
    c = conn(url)
    deadline = time.monotonic() + timeout
    while True:
        pending = [call(c, "GET", f"/v1/operations?kind={kind}&status={s}&page_size=1")[1]["operations"] for s in ("pending", "running")]
        if not any(pending):
            break
        if time.monotonic() > deadline:
            raise SystemExit("drain timed out")
        time.sleep(0.05)
    first, last, done, token = None, None, 0, None
    while True:
        path = f"/v1/operations?kind={kind}&page_size=100" + (f"&page_token={urllib.parse.quote(token)}" if token else "")
        page = call(c, "GET", path)[1]
        for op in page["operations"]:
            if op["status"] != "succeeded":
                raise SystemExit(f"{op['id']} is {op['status']}")
            done += 1
            s, f = ts(op["started_at"]), ts(op["finished_at"])
            first = s if first is None else min(first, s)
            last = f if last is None else max(last, f)
        token = page.get("next_page_token")
        if not token:
            break
    if done != count:
        raise SystemExit(f"{done} succeeded, expected {count}")
    return done / (last - first)


def cancel_latency(url, samples):
    """Per sample: start wait_cancel, await running, POST cancel, long-poll until done; the wall time cancel -> done."""
    c = conn(url)
    latencies = []
    for _ in range(samples):
        _, op = call(c, "POST", "/v1/operations", {"kind": "wait_cancel", "input": {"seconds": 120}})
        oid = op["id"]
        while call(c, "GET", f"/v1/operations/{oid}")[1]["status"] != "running":
            time.sleep(0.01)
        time.sleep(0.3)  # let the worker's cancel watch start, as it does for any operation running a while
        t0 = time.monotonic()
        call(c, "POST", f"/v1/operations/{oid}/cancel", {})
        while True:
            _, op = call(c, "GET", f"/v1/operations/{oid}/wait?timeout=25")
            if op["done"]:
                break
        latencies.append(time.monotonic() - t0)
        if op["status"] != "cancelled":
            raise SystemExit(f"{oid} ended {op['status']}")
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(round(q * (len(latencies) - 1))))]
    return pick(0.5), pick(0.99), latencies[-1]


if __name__ == "__main__":
    cmd, url = sys.argv[1], sys.argv[2]
    if cmd == "create":
        create(url, sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "drain":
        print(f"{drain(url, sys.argv[3], int(sys.argv[4])):.1f}")
    elif cmd == "cancel":
        p50, p99, worst = cancel_latency(url, int(sys.argv[3]))
        print(f"p50_ms={p50 * 1000:.0f} p99_ms={p99 * 1000:.0f} max_ms={worst * 1000:.0f}")
