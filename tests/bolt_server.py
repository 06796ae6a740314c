"""A real Neo4j-compatible Bolt server for tests: ArcadeDB, in a child process of its own.

Why a child process: ArcadeDB runs inside a JVM that JPype starts in the Python process,
and a process can host only one JVM, which can never be restarted. Fault tests need to kill
and restart the server, and the test process must stay free of a JVM, so the server lives
in its own process group, started by :class:`BoltServer`.

No orphan JVM: the child watches its stdin, a pipe from the parent; when the parent dies for
any reason (even SIGKILL) the pipe closes and the child exits at once. Teardown also kills the
whole process group (SIGTERM, then SIGKILL), so a JVM thread that ignores SIGTERM cannot
keep it alive.

Used three ways:

* as a pytest plugin (``pytest_plugins = ["tests.bolt_server"]`` in ``tests/conftest.py``):
  the session fixture ``bolt_server`` gives a :class:`BoltServer` (``.endpoint`` has uri,
  user, password, database), ``neo4j_store`` gives a clean :class:`Neo4jStore` per test;
* from scripts (``scripts/bench_graph.py``) through :class:`BoltServer` directly;
* as the child itself: ``python tests/bolt_server.py serve --root DIR ...`` (password from
  the ``LIT_BOLT_PASSWORD`` environment variable, so it never shows in ``ps``).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

PASSWORD_ENV = "LIT_BOLT_PASSWORD"
READY_FILE = "bolt-ready"
LOG_FILE = "server.log"
DEFAULT_DATABASE = "chem"
#: ArcadeDB's administrator account; the Bolt plugin authenticates against it.
ROOT_USER = "root"
#: A security group that may only read records (ArcadeDB's groups file, see add_reader).
READER_GROUP = "reader"


@dataclass(frozen=True, slots=True)
class BoltEndpoint:
    """Where a running test server listens and how to log in."""

    uri: str
    user: str
    password: str
    database: str

    def __repr__(self) -> str:  # the password stays out of test logs
        return f"BoltEndpoint(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class BoltServer:
    """Start, stop, kill and restart one ArcadeDB Bolt server in a child process group.

    Ports are chosen on the first start and kept on restarts, so a URI handed to a store
    stays valid across a restart (what the fault tests need). The database folder lives in
    ``workdir`` and survives restarts too; ArcadeDB replays its journal after a kill.
    """

    def __init__(
        self,
        workdir: str | Path | None = None,
        *,
        database: str = DEFAULT_DATABASE,
        heap: str = "1g",
        startup_timeout: float = 180.0,
    ) -> None:
        self._own_tmp = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="lit-bolt-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.database = database
        self.heap = heap
        self.startup_timeout = startup_timeout
        self.password = secrets.token_urlsafe(18)
        self.bolt_port = 0
        self.http_port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = None

    # -- state ------------------------------------------------------------------------------

    @property
    def endpoint(self) -> BoltEndpoint:
        return BoltEndpoint(
            f"bolt://127.0.0.1:{self.bolt_port}", ROOT_USER, self.password, self.database
        )

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def log_tail(self, chars: int = 4000) -> str:
        path = self.workdir / LOG_FILE
        try:
            return path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> BoltEndpoint:
        """Start the child and wait until the Bolt port answers a driver handshake."""
        if self.running:
            return self.endpoint
        if not self.bolt_port:
            self.bolt_port, self.http_port = free_port(), free_port()
        _write_security_groups(self.workdir / "databases" / "config" / "server-groups.json")
        ready = self.workdir / READY_FILE
        ready.unlink(missing_ok=True)
        env = dict(os.environ, **{PASSWORD_ENV: self.password})
        self._log = open(self.workdir / LOG_FILE, "ab")
        self._proc = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "serve",
                "--root",
                str(self.workdir / "databases"),
                "--bolt-port",
                str(self.bolt_port),
                "--http-port",
                str(self.http_port),
                "--database",
                self.database,
                "--heap",
                self.heap,
            ],
            cwd=self.workdir,  # ArcadeDB writes ./log here
            env=env,
            stdin=subprocess.PIPE,  # parent-death watch: EOF on stdin ends the child
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one
        )
        self._wait_ready(ready)
        return self.endpoint

    def _wait_ready(self, ready: Path) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise RuntimeError(
                    f"Bolt test server exited with {self._proc.returncode} during start-up; "
                    f"log {self.workdir / LOG_FILE}:\n{self.log_tail()}"
                )
            if ready.exists() and self._handshake():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"Bolt test server not ready on port {self.bolt_port} after "
            f"{self.startup_timeout:.0f} s; log {self.workdir / LOG_FILE}:\n{self.log_tail()}"
        )

    def _handshake(self) -> bool:
        from neo4j import GraphDatabase
        from neo4j.exceptions import Neo4jError, DriverError

        ep = self.endpoint
        try:
            with GraphDatabase.driver(
                ep.uri, auth=(ep.user, ep.password), connection_timeout=2.0
            ) as driver:
                driver.verify_connectivity()
            return True
        except (DriverError, Neo4jError, OSError):
            return False

    def stop(self, *, kill: bool = False, timeout: float = 15.0) -> None:
        """Stop the server. ``kill=True`` is a crash (SIGKILL, no shutdown hook runs);
        otherwise SIGTERM lets ArcadeDB close its files, with SIGKILL as the fallback."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            self._signal_group(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(proc.pid, signal.SIGKILL)
                proc.wait(timeout=timeout)
        # Whatever the leader did, nothing of its group may outlive it.
        self._signal_group(proc.pid, signal.SIGKILL)
        if proc.stdin is not None:
            proc.stdin.close()
        if self._log is not None:
            self._log.close()
            self._log = None

    @staticmethod
    def _signal_group(pgid: int, sig: signal.Signals) -> None:
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def _admin(self, command: str) -> None:
        """Send one server command (``drop database x``, ``create user {...}``) to ArcadeDB's
        HTTP admin API as root."""
        import base64
        import json
        import urllib.request

        token = base64.b64encode(f"{ROOT_USER}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http_port}/api/v1/server",
            data=json.dumps({"command": command}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            if response.status != 200:
                verb = " ".join(command.split()[:2])
                raise RuntimeError(f"Bolt test server: {verb!r} answered {response.status}")

    def reset_database(self) -> None:
        """Drop and re-create the database through the HTTP admin API.

        Sub-second at any size, where ``MATCH (n) DETACH DELETE n`` over Bolt takes seconds
        per few thousand facts; constraints go with it (a new store re-creates them)."""
        self._admin(f"drop database {self.database}")
        self._admin(f"create database {self.database}")

    def add_reader(self, name: str = "reader") -> BoltEndpoint:
        """Create a user of the ``reader`` group (read records only, see
        :func:`_write_security_groups`) and return its endpoint: the server itself refuses
        its writes, as a Neo4j reader role does."""
        import json

        password = secrets.token_urlsafe(18)
        spec = {"name": name, "password": password, "databases": {self.database: [READER_GROUP]}}
        self._admin("create user " + json.dumps(spec))
        return BoltEndpoint(self.endpoint.uri, name, password, self.database)

    def restart(self, *, kill: bool = False) -> BoltEndpoint:
        """Stop (or kill) and start again on the same ports, keeping the data."""
        self.stop(kill=kill)
        return self.start()

    def close(self) -> None:
        self.stop()
        if self._own_tmp:
            import shutil

            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "BoltServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"BoltServer(port={self.bolt_port}, pid={self.pid}, running={self.running})"


def _write_security_groups(path: Path) -> None:
    """ArcadeDB's default groups (``admin``: everything; ``*``: nothing) plus ``reader``,
    which may read records and nothing else. Written before the first start, when the server
    would otherwise create the file with the defaults only; an existing file is kept."""
    import json

    if path.exists():
        return
    records = ["createRecord", "readRecord", "updateRecord", "deleteRecord"]

    def group(access: list[str], types: list[str]) -> dict:
        return {"resultSetLimit": -1, "readTimeout": -1, "access": access, "types": {"*": {"access": types}}}

    groups = {
        "admin": group(["updateSecurity", "updateSchema", "updateDatabaseSettings"], records),
        READER_GROUP: group([], ["readRecord"]),
        "*": group([], []),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"databases": {"*": {"groups": groups}}, "version": 2}, indent=2))


# -- the child ------------------------------------------------------------------------------


def _exit_when_parent_dies() -> None:
    """Block on stdin (a pipe from the parent); EOF means the parent is gone: exit now.
    os._exit, because the JVM's non-daemon threads would otherwise keep the process up."""
    try:
        while sys.stdin.buffer.read(1024):
            pass
    finally:
        os._exit(0)


def serve(root: str, bolt_port: int, http_port: int, database: str, heap: str) -> None:
    """Run ArcadeDB with the Bolt plugin until SIGTERM or the parent's death."""
    password = os.environ[PASSWORD_ENV]
    threading.Thread(target=_exit_when_parent_dies, daemon=True).start()

    from arcadedb_embedded.jvm import start_jvm
    from arcadedb_embedded.server import create_server

    start_jvm(heap_size=heap)
    server = create_server(
        root,
        root_password=password,
        config={
            "host": "127.0.0.1",
            "http_port": http_port,
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": bolt_port,
        },
    )
    server.start()
    server.create_database(database)  # opens it when it already exists (a restart)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    Path(READY_FILE).write_text(str(os.getpid()))
    while not stopping.wait(0.5):
        pass
    try:
        server.stop()
    finally:
        os._exit(0)


def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    srv = sub.add_parser("serve", help="run the server in this process (the child side)")
    srv.add_argument("--root", required=True)
    srv.add_argument("--bolt-port", type=int, required=True)
    srv.add_argument("--http-port", type=int, required=True)
    srv.add_argument("--database", default=DEFAULT_DATABASE)
    srv.add_argument("--heap", default="1g")
    args = parser.parse_args(argv)
    serve(args.root, args.bolt_port, args.http_port, args.database, args.heap)


if __name__ == "__main__":
    _main()
else:
    # -- pytest plugin ------------------------------------------------------------------------
    import pytest

    @pytest.fixture(scope="session")
    def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
        """One ArcadeDB Bolt server for the whole session (start-up costs seconds).

        A test that stops or kills it must leave it running again (use ``restart``);
        ``neo4j_store`` restarts it if an earlier test left it down."""
        pytest.importorskip("arcadedb_embedded", reason="arcadedb-embedded is not installed")
        server = BoltServer(tmp_path_factory.mktemp("bolt"))
        try:
            server.start()
            yield server
        finally:
            server.stop()

    @pytest.fixture(scope="session")
    def bolt_reader(bolt_server: BoltServer) -> BoltEndpoint:
        """Credentials of a read-only user of the session server (its writes are Forbidden)."""
        return bolt_server.add_reader()

    @pytest.fixture
    def neo4j_store(bolt_server: BoltServer) -> Iterator["object"]:
        """A clean :class:`lit.graph.neo4j_store.Neo4jStore` on the session server (an empty
        database: dropped and re-created before the test)."""
        from lit.graph.neo4j_store import Neo4jStore

        if not bolt_server.running:
            bolt_server.start()
        bolt_server.reset_database()
        ep = bolt_server.endpoint
        store = Neo4jStore.connect(ep.uri, user=ep.user, password=ep.password, database=ep.database)
        try:
            yield store
        finally:
            store.close()
