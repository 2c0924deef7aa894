#!/usr/bin/env python3
"""A recording GitLab and GitHub REST server, for the tests of `qa-report --comment`.

It implements, with comments kept in memory, the endpoints qa-report uses:

  GitLab  GET  /api/v4/projects/<id>/merge_requests/<iid>/notes?per_page=&page=&sort=&order_by=
               (X-Page, X-Per-Page, X-Total, X-Next-Page: empty on the last page)
          POST /api/v4/projects/<id>/merge_requests/<iid>/notes          {"body": ...} -> 201
          PUT  /api/v4/projects/<id>/merge_requests/<iid>/notes/<note>   {"body": ...} -> 200
  GitHub  GET  /repos/<owner>/<repo>/issues/<n>/comments?per_page=&page=  (Link: rel="next")
          POST /repos/<owner>/<repo>/issues/<n>/comments                 {"body": ...} -> 201
          PATCH /repos/<owner>/<repo>/issues/comments/<comment>         {"body": ...} -> 200

GitLab requests need the header `PRIVATE-TOKEN: <--token>`, GitHub ones `Authorization: Bearer
<--token>`; others are answered 401. Unknown comments are 404. --seed names a JSON file of the
comments present at start: {"gitlab:<id>:<iid>" or "github:<owner>/<repo>:<n>": [body, ...]}.

It binds 127.0.0.1 on a free port and writes the port to --port-file once it listens. Every
request is appended to --log as one JSON line {"method", "path", "headers", "body", "status"};
after every change, the whole state {"<key>": [{"id", "body"}, ...]} is written to --state.
It exits when its parent process is gone. Python 3 standard library only.
"""
import argparse
import http.server
import json
import os
import re
import threading
import time
import urllib.parse

GITLAB = re.compile(r"^/api/v4/projects/(\d+)/merge_requests/(\d+)/notes(?:/(\d+))?$")
GITHUB_LIST = re.compile(r"^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$")
GITHUB_EDIT = re.compile(r"^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--seed")
    args = parser.parse_args()
    lock = threading.RLock()
    comments = {}  # key -> [{"id", "body"}]
    next_id = [1000]

    def add(key, body):
        next_id[0] += 1
        comment = {"id": next_id[0], "body": body}
        comments.setdefault(key, []).append(comment)
        return comment

    def save():
        with open(args.state + ".tmp", "w") as f:
            json.dump(comments, f)
        os.rename(args.state + ".tmp", args.state)

    if args.seed:
        with open(args.seed) as f:
            for key, bodies in json.load(f).items():
                for body in bodies:
                    add(key, body)
    save()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *unused):
            pass

        def answer(self, code, value=None, headers=()):
            body = json.dumps(value).encode() if value is not None else b""
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            for name, header in headers:
                self.send_header(name, header)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with lock, open(args.log, "a") as log:
                log.write(json.dumps({"method": self.command, "path": self.path,
                                      "headers": dict(self.headers.items()),
                                      "body": self.request_body, "status": code}) + "\n")

        def authorized(self, forge):
            if forge == "gitlab":
                return self.headers.get("PRIVATE-TOKEN") == args.token
            return self.headers.get("Authorization") == "Bearer " + args.token

        def new_body(self):
            try:
                body = json.loads(self.request_body)["body"]
            except (ValueError, KeyError, TypeError):
                return None
            return body if isinstance(body, str) else None

        def handle_any(self):
            length = int(self.headers.get("Content-Length", "0"))
            self.request_body = self.rfile.read(length).decode("utf-8", "replace")
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            gitlab = GITLAB.match(url.path)
            github_list = GITHUB_LIST.match(url.path)
            github_edit = GITHUB_EDIT.match(url.path)
            if not (gitlab or github_list or github_edit):
                return self.answer(404, {"message": "Not Found"})
            if not self.authorized("gitlab" if gitlab else "github"):
                return self.answer(401, {"message": "401 Unauthorized"})
            with lock:
                if gitlab:
                    return self.gitlab(gitlab, query)
                if github_list:
                    return self.github_list(github_list, query)
                return self.github_edit(github_edit)

        def page(self, items, query):
            per_page = max(1, min(100, int(query.get("per_page", "20"))))
            page = max(1, int(query.get("page", "1")))
            start = (page - 1) * per_page
            more = start + per_page < len(items)
            return page, per_page, items[start:start + per_page], more

        def gitlab(self, match, query):
            key = f"gitlab:{match.group(1)}:{match.group(2)}"
            notes = comments.setdefault(key, [])
            note_id = match.group(3)
            if self.command == "GET" and note_id is None:
                page, per_page, items, more = self.page(notes, query)
                return self.answer(200, items, [
                    ("X-Page", str(page)), ("X-Per-Page", str(per_page)),
                    ("X-Total", str(len(notes))), ("X-Next-Page", str(page + 1) if more else "")])
            body = self.new_body()
            if body is None:
                return self.answer(400, {"message": "body is missing"})
            if self.command == "POST" and note_id is None:
                note = add(key, body)
                save()
                return self.answer(201, note)
            if self.command == "PUT" and note_id is not None:
                return self.edit(notes, int(note_id), body)
            return self.answer(405, {"message": "405 Method Not Allowed"})

        def github_list(self, match, query):
            key = f"github:{match.group(1)}:{match.group(2)}"
            issue = comments.setdefault(key, [])
            if self.command == "GET":
                page, per_page, items, more = self.page(issue, query)
                links = []
                if more:
                    links.append(f'<http://{self.headers.get("Host")}{urllib.parse.urlsplit(self.path).path}'
                                 f'?per_page={per_page}&page={page + 1}>; rel="next"')
                if page > 1:
                    links.append(f'<http://{self.headers.get("Host")}/x?page=1>; rel="first"')
                return self.answer(200, items, [("Link", ", ".join(links))] if links else [])
            body = self.new_body()
            if self.command != "POST" or body is None:
                return self.answer(400 if body is None else 405, {"message": "bad request"})
            comment = add(key, body)
            save()
            return self.answer(201, comment)

        def github_edit(self, match):
            body = self.new_body()
            if self.command != "PATCH" or body is None:
                return self.answer(400 if body is None else 405, {"message": "bad request"})
            for key, issue in comments.items():
                if key.startswith(f"github:{match.group(1)}:"):
                    for comment in issue:
                        if comment["id"] == int(match.group(2)):
                            return self.edit(issue, comment["id"], body)
            return self.answer(404, {"message": "Not Found"})

        def edit(self, items, comment_id, body):
            for comment in items:
                if comment["id"] == comment_id:
                    comment["body"] = body
                    save()
                    return self.answer(200, comment)
            return self.answer(404, {"message": "404 Not found"})

        do_GET = do_POST = do_PUT = do_PATCH = handle_any

    # A test binary that crashed cannot stop its server: leave when the parent is gone.
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
