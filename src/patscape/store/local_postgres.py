"""A throwaway PostgreSQL server on 127.0.0.1 (Debian's postgresql-15 binaries), for tests and benchmarks.

PostgreSQL refuses to run as root: as root, the data folder is given to the ``postgres`` user and the server
runs as that user. The server trusts local connections (user ``app``) and writes without fsync.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get("PATSCAPE_PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def local_postgres(base: Path) -> Iterator[str]:
    """Start a server with its data under ``base`` (an empty folder); yields its URL without database."""
    if not (PG_BIN / "initdb").exists():
        raise FileNotFoundError(
            f"PostgreSQL server binaries not found in {PG_BIN} (apt-get install postgresql-15)"
        )
    data_dir = base / "data"
    port = free_port()
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        os.chmod(base, 0o755)
        for parent in base.parents:  # the postgres user must be able to reach the folder
            if str(parent) in ("/", "/tmp"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o011)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    initdb = [
        str(PG_BIN / "initdb"),
        "-D",
        str(data_dir),
        "-U",
        "app",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C",
    ]
    subprocess.run([*as_postgres, *initdb], check=True, capture_output=True)
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    pg_ctl = [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data_dir)]
    subprocess.run(
        [*pg_ctl, "-o", opts, "-l", str(base / "log"), "-w", "start"], check=True, capture_output=True
    )
    try:
        yield f"postgresql://app@127.0.0.1:{port}"
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True)


def create_database(server: str, name: str) -> str:
    """A fresh (dropped and created) database on ``server``; returns its URL."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"
