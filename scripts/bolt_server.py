"""Run a local Neo4j-compatible Bolt server (ArcadeDB) until Ctrl-C, for trying
``lit extract --graph bolt://...`` / ``lit query`` without a Neo4j installation.

    .venv/bin/python scripts/bolt_server.py [--dir DIR] [--port 7687]

It prints the ``NEO4J_*`` variables to export in another shell. The data stays in ``--dir``
(default ``./lit-bolt``) between runs; the password is new on every start unless
``LIT_BOLT_PASSWORD`` is set. Needs ``arcadedb-embedded`` (the ``test`` extra). The server
is the same one the test suite uses (``tests/bolt_server.py``), in a child process that
exits when this script does.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.bolt_server import PASSWORD_ENV, BoltServer  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="lit-bolt", help="where the database and logs live")
    parser.add_argument("--port", type=int, default=0, help="Bolt port (default: a free one)")
    parser.add_argument("--database", default="chem")
    parser.add_argument("--heap", default="1g", help="JVM heap, e.g. 2g")
    args = parser.parse_args(argv)

    server = BoltServer(Path(args.dir).resolve(), database=args.database, heap=args.heap)
    if os.environ.get(PASSWORD_ENV):
        server.password = os.environ[PASSWORD_ENV]
    if args.port:
        from tests.bolt_server import free_port

        server.bolt_port, server.http_port = args.port, free_port()
    print(f"starting ArcadeDB in {server.workdir} ...", file=sys.stderr)
    ep = server.start()
    print(f"export NEO4J_URI={ep.uri}")
    print(f"export NEO4J_USER={ep.user}")
    print(f"export NEO4J_PASSWORD={ep.password}")
    print(f"export NEO4J_DATABASE={ep.database}")
    print("serving; Ctrl-C stops it", file=sys.stderr, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        while not done.wait(1.0):
            if not server.running:
                print(f"server exited; log:\n{server.log_tail()}", file=sys.stderr)
                break
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
