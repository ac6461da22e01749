"""A small web server on 127.0.0.1 whose pages misbehave on purpose, for the crawler's tests.

Routes map a path to a handler; the server counts requests per path and keeps the headers it received, so tests
can assert on retries, conditional requests and politeness.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    drip: float = 0.0  # seconds between body chunks


class FaultServer:
    def __init__(self, ssl_context=None):
        self.routes: dict[str, object] = {}
        self.hits: dict[str, int] = defaultdict(int)
        self.requests: list[tuple[float, str, dict]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                path = self.path
                with outer.lock:
                    outer.hits[path] += 1
                    n = outer.hits[path]
                    outer.requests.append((time.monotonic(), path, dict(self.headers)))
                route = outer.routes.get(path)
                if route is None:
                    reply = Reply(404, b"not found", {"Content-Type": "text/plain"})
                elif callable(route):
                    reply = route(n, dict(self.headers))
                else:
                    reply = route
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                try:
                    if reply.drip:
                        for i in range(0, len(reply.body), 64):
                            self.wfile.write(reply.body[i:i + 64])
                            self.wfile.flush()
                            time.sleep(reply.drip)
                    else:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.scheme = "http"
        if ssl_context is not None:  # HTTPS with the test's own certificate
            self.httpd.socket = ssl_context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def page(title: str, body_html: str = "", links: list[str] = ()) -> bytes:
    items = "".join(f'<li><a href="{u}">{u}</a></li>' for u in links)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<h1>{title}</h1><div class='article-body'>{body_html}</div><ul class='list'>{items}</ul>"
            "</body></html>").encode("utf-8")
