"""A local Opendatasoft-like portal for tests: serves the SYNTHETIC exports of tests/fixtures/portail on
127.0.0.1 (nothing leaves localhost). /<version>/api/explore/v2.1/catalog/datasets/<id>/exports/<fmt> answers
the file <version>/<id>.<fmt>; /erreur/... answers 500; anything else 404."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "portail"
TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8",
         "geojson": "application/geo+json; charset=utf-8"}


class _Handler(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.requests.append(self.path)
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[0] == "erreur":
            self.send_error(500, "Erreur interne (test)")
            return
        target = None
        if len(parts) == 9 and parts[1:6] == ["api", "explore", "v2.1", "catalog", "datasets"] \
                and parts[7] == "exports":
            target = FIXTURES / parts[0] / f"{parts[6]}.{parts[8]}"
        elif len(parts) == 2:  # a plain file: /<version>/<file>
            target = FIXTURES / parts[0] / parts[1]
        if target is None or not target.is_file() or FIXTURES not in target.resolve().parents:
            self.send_error(404, "Introuvable (test)")
            return
        body = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(target.suffix.lstrip("."), "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serving() -> Iterator[tuple[str, list[str]]]:
    """The portal's base address (without version) and the list of paths it was asked for."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests
    finally:
        server.shutdown()
        server.server_close()
