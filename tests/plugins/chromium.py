"""Real headless Chromium (Debian's `chromium` package) for tests of pages people look at.

The `chromium` fixture starts one browser for the session and drives it over the DevTools
protocol (websocket-client): `open(path)` loads a file, collects console errors and
uncaught exceptions, evaluates JavaScript in the page and takes a PNG screenshot. No
browser binary -> the tests skip, except under CI=true where they fail (`.ci/system-deps`
installs it).
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.shared_data import unavailable

CHROMIUM = "/usr/bin/chromium"
# Quiet, offline, no sandbox (CI runs as root), no GPU.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
    "--remote-debugging-port=0", "--remote-allow-origins=*",
]  # fmt: skip


@dataclass
class PageVisit:
    """What one page load showed: console errors, uncaught exceptions, screenshot."""

    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    screenshot: Path | None = None


class Chromium:
    """One headless browser; one tab driven over the DevTools protocol."""

    def __init__(self, binary: str, profile: Path) -> None:
        self.profile = profile
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.port = self._wait_for_port()
        self.ids = itertools.count(1)
        self.socket = self._connect()
        self.events: list[dict[str, Any]] = []

    def _wait_for_port(self, timeout: float = 60.0) -> int:
        active = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode}")
            if active.exists() and active.read_text().strip():
                return int(active.read_text().split()[0])
            time.sleep(0.1)
        raise RuntimeError("chromium did not open its DevTools port")

    def _connect(self) -> Any:
        import websocket

        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list") as answer:
            targets = json.load(answer)
        page = next(t for t in targets if t.get("type") == "page")
        return websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method and wait for its answer (events meanwhile are kept)."""
        call_id = next(self.ids)
        self.socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 60.0) -> dict[str, Any]:
        for index, message in enumerate(self.events):
            if message.get("method") == event:
                return self.events.pop(index)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(self.socket.recv())
            if message.get("method") == event:
                return message
            self.events.append(message)
        raise TimeoutError(event)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)  # fmt: skip
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, path: Path, screenshot: Path | None = None) -> PageVisit:
        """Load `path`, let it settle, and report what went wrong; screenshot optional."""
        self.events.clear()
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=1280, height=900,
                  deviceScaleFactor=1, mobile=False)  # fmt: skip
        self.send("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        # Plotly draws after load; give it the frames it needs.
        self.evaluate("new Promise(r => setTimeout(r, 500))")
        visit = PageVisit()
        for message in self.events:
            method, params = message.get("method"), message.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                visit.console_errors.append(
                    " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                )
            elif method == "Runtime.exceptionThrown":
                visit.exceptions.append(json.dumps(params["exceptionDetails"])[:2000])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                visit.console_errors.append(params["entry"].get("text", ""))
        if screenshot is not None:
            shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            visit.screenshot = screenshot
        return visit

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    binary = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if binary is None:
        unavailable("chromium not found; install it with `apt-get install -y chromium`")
    profile = Path(tempfile.mkdtemp(prefix="newsclean-chromium-"))
    browser = Chromium(binary, profile)
    try:
        yield browser
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
