"""A real PEP 691 JSON simple index on 127.0.0.1 for tests: started and stopped by the test."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ACCEPT = "application/vnd.pypi.simple.v1+json"


class IndexState:
    def __init__(self, projects: dict[str, list[dict[str, Any]]]) -> None:
        self.projects = projects
        self.requests: list[tuple[str, str | None]] = []  # (path, If-None-Match)


def _handler(state: IndexState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            return

        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("If-None-Match")))
            parts = [p for p in self.path.split("/") if p]
            if len(parts) != 2 or parts[0] != "simple" or parts[1] not in state.projects:
                self.send_response(404)
                self.end_headers()
                return
            body = json.dumps(
                {"meta": {"api-version": "1.1"}, "name": parts[1], "files": state.projects[parts[1]]}
            ).encode()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", ACCEPT)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def serve_index(projects: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, IndexState]]:
    state = IndexState(projects)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def files(
    name: str, version: str, tags: list[str], *, sdist: bool = True, requires_python: str | None = None
) -> list[dict[str, Any]]:
    out = [
        {
            "filename": f"{name}-{version}-{tag}.whl",
            "url": f"https://files.example.invalid/{name}-{version}-{tag}.whl",
            "hashes": {},
            "requires-python": requires_python,
        }
        for tag in tags
    ]
    if sdist:
        out.append(
            {
                "filename": f"{name}-{version}.tar.gz",
                "url": f"https://files.example.invalid/{name}-{version}.tar.gz",
                "hashes": {},
                "requires-python": requires_python,
            }
        )
    return out
