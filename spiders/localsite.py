"""Serve a directory of static pages on 127.0.0.1 — the bundled demo site, test sites.

A thin layer over http.server (stdlib, nothing to install): files ending in .xml or .txt
get the placeholder __BASE__ replaced by the server's own http://127.0.0.1:PORT, because
sitemaps, feeds and robots.txt must hold absolute URLs and the port is chosen at start.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BASE_PLACEHOLDER = b"__BASE__"
DEMO_SITE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "demo_site"
# The demo site's address in `scrapy demo` and in the manual's examples. Fixed, so a second
# demo run re-crawls the same URLs (an incremental run) instead of a "new site".
DEMO_PORT = 8765


class _Handler(SimpleHTTPRequestHandler):
    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.suffix not in {".xml", ".txt"} or not path.is_file():
            return super().send_head()
        base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        body = path.read_bytes().replace(BASE_PLACEHOLDER, base.encode())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass  # the crawler logs every request already


@contextmanager
def serve_directory(root: Path = DEMO_SITE, port: int = 0) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 in a background thread; yield the base URL."""
    if not root.is_dir():
        raise FileNotFoundError(f"no site directory at {root}")
    handler = functools.partial(_Handler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, name="localsite", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    """`python -m spiders.localsite [DIR] [PORT]`: serve until interrupted (default: the
    demo site on port 8765)."""
    import sys
    import time

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else DEMO_SITE
    port = int(sys.argv[2]) if len(sys.argv) > 2 else DEMO_PORT
    with serve_directory(root, port) as base:
        print(f"serving {root} at {base} (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
