"""The bundled sample web, served over real HTTP on 127.0.0.1: one port per simulated site.

Each site is a folder under `sites/`, served at the root of its own port, with the behaviour a crawler meets in
the wild: robots.txt, ETag and Last-Modified with 304 answers to conditional requests, 404s, a PDF where an
article was expected, and pages under /flaky/ that fail with 503 the first time they are asked for.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from paretl.errors import ParetlError

DEFAULT_PORT = 8701
SITES_DIR = Path(str(resources.files("paretl.sample_site").joinpath("sites")))
REGISTRY_TEMPLATE = Path(str(resources.files("paretl.sample_site").joinpath("sources.toml")))
# Fixed, so that a second run asks for the same URLs and gets 304s; the content hash makes the ETag.
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
MARKER_HEADER = "X-Paretl-Sample-Site"
_TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
          ".pdf": "application/pdf", ".xml": "application/xml"}


def site_ids() -> list[str]:
    return sorted(p.name for p in SITES_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "paretl-sample/1.0"
    root: Path
    site_id: str
    flaky_seen: set
    lock: threading.Lock

    def log_message(self, fmt, *args):  # quiet: the crawler keeps its own log
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/plain; charset=utf-8", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header(MARKER_HEADER, self.site_id)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        if path.startswith("/flaky/"):
            with self.lock:
                first = path not in self.flaky_seen
                self.flaky_seen.add(path)
            if first:
                return self._send(503, b"temporarily unavailable", extra={"Retry-After": "0"})
        rel = path.lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        target = (self.root / rel).resolve()
        if self.root not in target.parents or not target.is_file() or target.name.endswith(".expected.json") \
                or target.name == "README.md":
            return self._send(404, b"not found")
        body = target.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self.headers.get("If-None-Match") == etag or (
                not self.headers.get("If-None-Match") and self.headers.get("If-Modified-Since") == LAST_MODIFIED):
            return self._send(304, b"", extra=headers)
        self._send(200, body, _TYPES.get(target.suffix.lower(), "application/octet-stream"), headers)


@dataclass
class SampleWeb:
    urls: dict[str, str]
    servers: list = field(default_factory=list)
    threads: list = field(default_factory=list)

    def registry_text(self) -> str:
        text = REGISTRY_TEMPLATE.read_text(encoding="utf-8")
        for sid, url in self.urls.items():
            text = text.replace("{site:%s}" % sid, url)
        return text

    def stop(self) -> None:
        for s in self.servers:
            s.shutdown()
            s.server_close()


def _already_serving(host: str, port: int, site_id: str) -> bool:
    try:
        r = httpx.get(f"http://{host}:{port}/robots.txt", timeout=2)
        return r.headers.get(MARKER_HEADER) == site_id
    except httpx.HTTPError:
        return False


def start(host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> SampleWeb:
    """Serve every sample site, site i on port+i, in background threads.

    A port already serving the same sample site (another `paretl sample-site`) is reused; any other occupant is
    a clear error. port=0 picks free ports (tests).
    """
    web = SampleWeb(urls={})
    for i, sid in enumerate(site_ids()):
        want = 0 if port == 0 else port + i
        handler = type(f"Handler_{i}", (_Handler,), {"root": (SITES_DIR / sid).resolve(), "site_id": sid,
                                                     "flaky_seen": set(), "lock": threading.Lock()})
        try:
            server = http.server.ThreadingHTTPServer((host, want), handler)
        except OSError as exc:
            if want and _already_serving(host, want, sid):
                web.urls[sid] = f"http://{host}:{want}"
                continue
            web.stop()
            raise ParetlError(f"cannot serve sample site {sid!r} on {host}:{want}: {exc.strerror}; "
                              f"free the port or pass --sample-port") from None
        server.daemon_threads = True
        t = threading.Thread(target=server.serve_forever, name=f"sample-{sid}", daemon=True)
        t.start()
        web.servers.append(server)
        web.threads.append(t)
        web.urls[sid] = f"http://{host}:{server.server_address[1]}"
    return web
