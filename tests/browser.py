"""Headless chromium for the page tests, driven over the DevTools protocol.

Why the protocol and not ``chromium --dump-dom``: the command line shows neither the level
of a console message nor a resource that failed to load (a stylesheet from a CDN on a
machine without the internet), and cannot move a slider. Over the protocol a test sees
every uncaught exception, console error and failed load, can evaluate JavaScript in the
page and takes a screenshot.

Chromium comes from Debian's ``chromium`` package (``.ci/run`` installs it). Where it is
missing the tests that need it skip and say why, unless ``LIT_REQUIRE_SHARED=1`` (CI):
then they fail, so CI cannot pass with the browser tests skipped.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

#: Seconds to wait for chromium to start, a page to load, or an answer.
TIMEOUT = 60.0
NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium() -> str:
    """The chromium executable, or skip (fail under LIT_REQUIRE_SHARED=1)."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    message = "headless chromium not found (Debian: apt-get install -y chromium; .ci/run installs it)"
    if os.environ.get("LIT_REQUIRE_SHARED") == "1":
        pytest.fail(message + "; LIT_REQUIRE_SHARED=1 makes this a failure, not a skip")
    pytest.skip(message)


class Page:
    """One page loaded in a fresh headless chromium: ``errors`` holds what went wrong so far."""

    def __init__(self, ws: Any):
        self._ws = ws
        self._id = 0
        self.errors: list[str] = []

    def call(self, method: str, **params: Any) -> dict:
        self._id += 1
        ident = self._id
        self._ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._next(deadline)
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, event: str) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._next(deadline)
            if message.get("method") == event:
                return message.get("params", {})

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def _next(self, deadline: float) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("chromium did not answer in time")
        message = json.loads(self._ws.recv(timeout=remaining))
        self._record(message)
        return message

    def _record(self, message: dict) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.errors.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
            entry = params["entry"]
            self.errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())


@contextmanager
def open_page(path: Path, width: int = 1280, height: int = 1600) -> Iterator[Page]:
    """``path`` loaded in a fresh headless chromium, closed when the ``with`` ends."""
    from websockets.sync.client import connect

    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="lit-chromium-") as profile:
        proc = subprocess.Popen(
            [exe, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--no-default-browser-check",
             "--remote-debugging-port=0", f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + TIMEOUT
            while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chromium did not start (exit code {proc.poll()})")
                time.sleep(0.1)
            port = port_file.read_text().split()[0]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as answer:
                targets = json.load(answer)
            url = next(t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page")
            with connect(url, max_size=None, open_timeout=TIMEOUT) as ws:
                page = Page(ws)
                for domain in ("Runtime", "Log", "Page"):
                    page.call(f"{domain}.enable")
                page.call("Page.navigate", url=path.resolve().as_uri())
                page.wait_for("Page.loadEventFired")
                yield page
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
