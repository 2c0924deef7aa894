#!/usr/bin/env python3
"""A small HTTP store server that misbehaves on purpose, for the tests of the http backend.

It serves GET, HEAD and PUT on files under --root (a PUT is written to a temporary file, then
renamed) and injects one fault, --mode, into the requests whose path matches --match:

  ok              no fault
  500-twice       the first two matching requests (any method) answer 500
  reset-mid-body  the first matching GET sends half the body, then resets the connection
  truncated       every matching GET announces and sends only half the body
  wrong-bytes     every matching GET sends the right length of wrong bytes
  hang            matching requests are never answered
  drip            every matching GET announces its body, then sends 2 bytes a second (for at
                  most 60 s): a stalled transfer that is never quite silent
  put-500         every matching PUT answers 500
  401             every request answers 401 (the server wants credentials)
  lying-head      every matching HEAD answers 200 (with no body, Content-Length 0), whether or
                  not the file exists: a proxy that says yes to everything
  oversized       every matching GET announces 3 GB and streams zeros until the client leaves
  loop-listing    every matching GET for a JSON listing answers a folder holding a folder and a
                  file, at any depth: a listing that never ends
  redirect        every matching request answers 302 to the same path on another server

It binds 127.0.0.1 on a free port and writes the port to --port-file once it listens. Every
request is appended to --log as `METHOD path status`, and with --headers-log, to that file as a
JSON line {"method", "path", "status", "headers", "sigv4"}: with --sigv4-secret, "sigv4" says
whether the request's AWS Signature V4 is the one S3 would compute with that secret ("ok",
"mismatch" or "absent"), taking the payload hash from x-amz-content-sha256 as S3 does.
Python 3 standard library only.
"""
import argparse
import hashlib
import hmac
import http.server
import json
import os
import re
import socket
import struct
import tempfile
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--mode", default="ok")
    parser.add_argument("--match", default="/cas/")
    parser.add_argument("--headers-log")
    parser.add_argument("--sigv4-secret")
    args = parser.parse_args()
    lock = threading.Lock()
    state = {"count": 0}
    match = re.compile(args.match)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_request(self, code="-", size="-"):
            with lock, open(args.log, "a") as log:
                log.write(f"{self.command} {self.path} {code}\n")
                if args.headers_log:
                    with open(args.headers_log, "a") as headers_log:
                        headers_log.write(json.dumps({
                            "method": self.command, "path": self.path, "status": int(code),
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "sigv4": self.sigv4()}) + "\n")

        def sigv4(self):
            """Check the AWS Signature V4 of the request against --sigv4-secret."""
            auth = self.headers.get("Authorization", "")
            found = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/"
                             r"aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$",
                             auth)
            if not args.sigv4_secret or not found:
                return "absent"
            _, date, region, service, signed, signature = found.groups()
            path, _, query = self.path.partition("?")
            pairs = sorted(tuple(p.partition("=")[::2]) for p in query.split("&") if p)
            canonical = "\n".join([
                self.command, path, "&".join(f"{k}={v}" for k, v in pairs),
                "".join(f"{name}:{' '.join(self.headers.get(name, '').split())}\n"
                        for name in signed.split(";")),
                signed, self.headers.get("x-amz-content-sha256", "")])
            scope = f"{date}/{region}/{service}/aws4_request"
            to_sign = "\n".join(["AWS4-HMAC-SHA256", self.headers.get("x-amz-date", ""), scope,
                                 hashlib.sha256(canonical.encode()).hexdigest()])
            key = ("AWS4" + args.sigv4_secret).encode()
            for part in (date, region, service, "aws4_request"):
                key = hmac.new(key, part.encode(), hashlib.sha256).digest()
            expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
            return "ok" if hmac.compare_digest(expected, signature) else "mismatch"

        def log_message(self, *unused):
            pass

        def fault(self, methods):
            if args.mode == "401":
                return "401"
            if self.command not in methods or not match.search(self.path):
                return None
            with lock:
                state["count"] += 1
                count = state["count"]
            if args.mode == "500-twice":
                return "500" if count <= 2 else None
            if args.mode in ("reset-mid-body",):
                return args.mode if count == 1 else None
            return args.mode

        def file(self):
            rel = self.path.split("?", 1)[0].lstrip("/")
            if ".." in rel.split("/"):
                return None
            return os.path.join(args.root, rel)

        def answer(self, code, body=b"", headers=()):
            self.send_response(code)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def common_fault(self, methods):
            """Answer the faults common to every method; return (answered, fault)."""
            fault = self.fault(methods)
            if fault == "401":
                self.answer(401, b"unauthorized\n", [("WWW-Authenticate", 'Bearer realm="store"')])
                return True, fault
            if fault == "500" or (fault == "put-500" and self.command == "PUT"):
                self.answer(500, b"injected failure\n")
                return True, fault
            if fault == "hang":
                time.sleep(3600)
                return True, fault
            if fault == "redirect":
                self.answer(302, b"moved\n",
                            [("Location", "http://127.0.0.1:9/elsewhere" + self.path)])
                return True, fault
            return False, fault

        def do_HEAD(self):
            answered, fault = self.common_fault({"HEAD"})
            if answered:
                return
            if fault == "lying-head":
                self.answer(200)
                return
            path = self.file()
            if path and os.path.isfile(path):
                self.send_response(200)
                self.send_header("Content-Length", str(os.path.getsize(path)))
                self.end_headers()
            else:
                self.answer(404)

        def do_GET(self):
            answered, fault = self.common_fault({"GET"})
            if answered:
                return
            if fault == "loop-listing" and "json" in self.headers.get("Accept", ""):
                self.answer(200, b'[{"name": "again", "type": "directory"},'
                                 b' {"name": "run.json", "type": "file"}]',
                            [("Content-Type", "application/json")])
                return
            if fault == "oversized":
                self.send_response(200)
                self.send_header("Content-Length", str(3 << 30))
                self.end_headers()
                chunk = bytes(1 << 16)
                try:
                    for _ in range((3 << 30) // len(chunk)):
                        self.wfile.write(chunk)
                except OSError:
                    pass  # the client gave up, as it should
                self.close_connection = True
                return
            path = self.file()
            if path and os.path.isdir(path):
                self.answer(200, b"<html><body>a folder</body></html>\n",
                            [("Content-Type", "text/html")])
                return
            if not path or not os.path.isfile(path):
                self.answer(404, b"not found\n")
                return
            with open(path, "rb") as f:
                body = f.read()
            half = body[: len(body) // 2]
            if fault == "reset-mid-body":
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(half)
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return
            if fault == "drip":
                self.send_response(200)
                self.send_header("Content-Length", str(len(body) + 120))
                self.end_headers()
                try:
                    for _ in range(60):
                        self.wfile.write(b"..")
                        self.wfile.flush()
                        time.sleep(1)
                except OSError:
                    pass  # the client gave up, as it should
                self.close_connection = True
                return
            if fault == "truncated":
                body = half
            elif fault == "wrong-bytes":
                body = bytes(b ^ 0x5A for b in body)
            self.answer(200, body)

        def do_PUT(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if len(body) != length:
                self.close_connection = True  # the client gave up mid-body: keep nothing
                return
            if self.common_fault({"PUT"})[0]:
                return
            path = self.file()
            if not path:
                self.answer(400)
                return
            os.makedirs(os.path.dirname(path), exist_ok=True)
            existed = os.path.exists(path)
            fd, temp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp.")
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.rename(temp, path)
            self.answer(204 if existed else 201)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
