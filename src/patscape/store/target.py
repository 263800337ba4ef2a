"""Where a store lives: a DuckDB file path or a PostgreSQL URL, and nothing else.

A ``--db`` value with any other scheme (``md:`` MotherDuck, ``sqlite:``, ``mysql://``, ``s3://``) is refused
here, before DuckDB sees it: DuckDB would otherwise try to download an extension for it from the network.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SERVER_SCHEMES = ("postgresql://", "postgres://")
# "name:" at the start of a target, as in md:x, sqlite:a.db, mysql://h; one letter is a Windows drive
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


class StoreError(Exception):
    """A store that cannot be opened, or cannot answer a command yet; the message says what to do."""


class NoDatabase(StoreError):
    """The database does not exist (nothing has been created)."""


class ReadOnlyStorage(StoreError):
    """A writing command on a database that cannot be written (read-only file or folder)."""


class StoreBusy(StoreError):
    """The database is locked by another process."""


class UnknownScheme(StoreError):
    """A ``--db`` that is neither a DuckDB file path nor a PostgreSQL URL."""


def is_server_url(target: str) -> bool:
    """A PostgreSQL URL (``postgresql://`` or ``postgres://``), as opposed to a DuckDB file path."""
    return target.startswith(SERVER_SCHEMES)


def duckdb_path(target: str) -> Path:
    """The DuckDB file a target names; refuses any URL or ``scheme:`` prefix."""
    match = _SCHEME.match(target)
    if match:
        hint = "" if "://" in target else f" (./{target} for a file with a colon in its name)"
        raise UnknownScheme(
            f"unsupported database {target!r}: the scheme {match.group(1)}: is not supported; "
            f"give a DuckDB file path or a postgresql:// URL{hint}"
        )
    return Path(target)


def redact(target: str) -> str:
    """A target fit for a message: a URL's password left out."""
    if not is_server_url(target):
        return target
    parts = urlsplit(target)
    if parts.password is None:
        return target
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def create_hint(target: str) -> str:
    """The command that creates a database at ``target``."""
    return f"create one with `patscape ingest --db {target} FILES…`"
