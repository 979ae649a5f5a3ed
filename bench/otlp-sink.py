#!/usr/bin/env python3
"""A local OTLP/HTTP sink for bench/run.sh: answers every POST (/v1/traces, /v1/metrics, /v1/logs) with 200 and an
empty protobuf body after reading the request; counts requests and bytes. Usage: otlp-sink.py PORT
bench/run.sh prefers bench/otlp-sink-nginx.sh (nginx, far less CPU on the measured machine) when nginx is installed."""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sink(BaseHTTPRequestHandler):
    # Keep-alive, as a real collector: HTTP/1.0 would make the exporter open a connection per export.
    protocol_version = "HTTP/1.1"
    requests = 0
    received = 0

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        Sink.requests += 1
        Sink.received += length
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        body = f"requests={Sink.requests} bytes={Sink.received}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
