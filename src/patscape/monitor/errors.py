"""The monitor's errors: each names what went wrong in words a user can act on; the API maps them to HTTP."""

from __future__ import annotations


class MonitorError(Exception):
    """Base class; ``code`` is the stable machine-readable name the API returns."""

    code = "error"


class Unauthenticated(MonitorError):
    code = "unauthenticated"


class Forbidden(MonitorError):
    code = "forbidden"


class NotFound(MonitorError):
    """Also raised for objects the caller may not see: a workspace's existence is not told to outsiders."""

    code = "not_found"


class Invalid(MonitorError):
    code = "invalid"


class Conflict(MonitorError):
    code = "conflict"
