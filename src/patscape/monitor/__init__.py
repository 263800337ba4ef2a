"""Monitoring and evaluation for a patent department, as a library (no HTTP): users, tokens, roles and
workspace membership; workspaces, tag categories and tags; watch profiles and routing; the evaluation as an
append-only event log with the state folded from it; the evaluated database and its export; feedback to
the classifier.

Every function takes the store and the ``Caller`` first and checks the caller's rights itself
(``access.check``), so the API, the web pages and the command line share one permission check::

    from patscape import monitor
    from patscape.store import open_store

    store = open_store("patscape.duckdb")
    monitor.install(store)
    admin = monitor.add_user(store, monitor.SYSTEM, "ada", "admin", password="correct horse")
    token = monitor.issue_token(store, monitor.SYSTEM, "ada").token
    caller = monitor.authenticate(store, token)
    ws = monitor.create_workspace(store, caller, "GenAI watch")
"""

from patscape.monitor.access import ROLES, SWITCHES, SYSTEM, Caller, can, check, readable_workspaces
from patscape.monitor.errors import Conflict, Forbidden, Invalid, MonitorError, NotFound, Unauthenticated
from patscape.monitor.evaluated import EvaluatedFilter, evaluated, export_rows, write_csv, xlsx_bytes
from patscape.monitor.evaluation import (
    LEVELS,
    add_document,
    assign,
    change_comment,
    comment,
    forward,
    rate,
    set_done,
    set_due,
    tag,
    untag,
)
from patscape.monitor.event import Event
from patscape.monitor.notifications import Notification, mark_seen, notifications
from patscape.monitor.profiles import (
    Profile,
    deactivate_profile,
    get_profile,
    preview,
    profiles,
    save_profile,
)
from patscape.monitor.queue import (
    Document,
    HistoryEntry,
    Task,
    activity,
    document,
    documents,
    history,
    tasks,
    workspace_activity,
)
from patscape.monitor.routing import RouteResult, route, route_after_ingest
from patscape.monitor.schema import install
from patscape.monitor.search_fields import fields as search_fields
from patscape.monitor.state import rebuild
from patscape.monitor.tokens import IssuedToken, TokenInfo, authenticate, list_tokens, revoke
from patscape.monitor.tokens import issue as issue_token
from patscape.monitor.users import (
    User,
    add_user,
    check_password,
    get_user,
    list_users,
    set_password,
    set_permission,
    update_user,
)
from patscape.monitor.workspaces import (
    Member,
    Tag,
    TagCategory,
    Workspace,
    add_member,
    categories,
    create_category,
    create_tag,
    create_workspace,
    get_workspace,
    list_workspaces,
    members,
    remove_member,
    tags,
    update_workspace,
)

__all__ = [
    "LEVELS",
    "ROLES",
    "SWITCHES",
    "SYSTEM",
    "Caller",
    "Conflict",
    "Document",
    "EvaluatedFilter",
    "Event",
    "Forbidden",
    "HistoryEntry",
    "Invalid",
    "IssuedToken",
    "Member",
    "MonitorError",
    "NotFound",
    "Notification",
    "Profile",
    "RouteResult",
    "Tag",
    "TagCategory",
    "Task",
    "TokenInfo",
    "Unauthenticated",
    "User",
    "Workspace",
    "activity",
    "add_document",
    "add_member",
    "add_user",
    "assign",
    "authenticate",
    "can",
    "categories",
    "change_comment",
    "check",
    "check_password",
    "comment",
    "create_category",
    "create_tag",
    "create_workspace",
    "deactivate_profile",
    "document",
    "documents",
    "evaluated",
    "export_rows",
    "forward",
    "get_profile",
    "get_user",
    "get_workspace",
    "history",
    "install",
    "issue_token",
    "list_tokens",
    "list_users",
    "list_workspaces",
    "mark_seen",
    "members",
    "notifications",
    "preview",
    "profiles",
    "rate",
    "readable_workspaces",
    "rebuild",
    "remove_member",
    "revoke",
    "route",
    "route_after_ingest",
    "save_profile",
    "search_fields",
    "set_done",
    "set_due",
    "set_password",
    "set_permission",
    "tag",
    "tags",
    "tasks",
    "untag",
    "update_user",
    "update_workspace",
    "workspace_activity",
    "write_csv",
    "xlsx_bytes",
]
