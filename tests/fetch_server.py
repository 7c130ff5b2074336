"""A loopback HTTP server for the fetch tests: real sockets on 127.0.0.1, a free port, in a thread."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.bad_pdfs import good_pdf_bytes

SLOW_S = 5.0


class PdfServer:
    """Serves PDFs with ETag/Last-Modified (answering 304), one that changes, 404, 500, slow and hostile names."""

    def __init__(self) -> None:
        self.bodies = {
            "/a.pdf": good_pdf_bytes("Carbon neutrality by 2060. Document A."),
            "/b.pdf": good_pdf_bytes("Document B, first version."),
        }
        self.names = {
            "/hostile.pdf": 'attachment; filename="../../x.pdf"',
            "/absolute.pdf": 'attachment; filename="/etc/evil.pdf"',
            "/encoded.pdf": "attachment; filename*=UTF-8''..%2F..%2F%E8%83%BD%E6%BA%90.pdf",
        }
        for path in self.names:
            self.bodies[path] = good_pdf_bytes(f"Served as {path}.")
        self.hits: Counter[tuple[str, int]] = Counter()
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def change(self, path: str, body: bytes) -> None:
        self.bodies[path] = body

    def __enter__(self) -> PdfServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                try:
                    status = server.respond(self)
                except (BrokenPipeError, ConnectionResetError):
                    status = 0  # the client gave up (the slow route's timeout)
                server.hits[(self.path, status)] += 1

        return Handler

    def respond(self, h: BaseHTTPRequestHandler) -> int:
        """Route one request; returns the status sent."""
        if h.path == "/missing.pdf":
            return _send(h, 404, b"not here")
        if h.path == "/broken.pdf":
            return _send(h, 500, b"oops")
        if h.path == "/slow.pdf":
            time.sleep(SLOW_S)
            return _send(h, 200, self.bodies["/a.pdf"])
        if h.path == "/moved.pdf":
            h.send_response(302)
            h.send_header("Location", "/a.pdf")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return 302
        body = self.bodies.get(h.path)
        if body is None:
            return _send(h, 404, b"no route")
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return 304
        extra = {"ETag": etag, "Last-Modified": "Tue, 01 Oct 2024 08:00:00 GMT"}
        if h.path in self.names:
            extra["Content-Disposition"] = self.names[h.path]
        return _send(h, 200, body, extra)


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None) -> int:
    h.send_response(status)
    h.send_header("Content-Type", "application/pdf" if status == 200 else "text/plain")
    h.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)
    return status
