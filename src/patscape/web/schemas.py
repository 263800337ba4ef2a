"""The API's request and response bodies (pydantic), the source of the OpenAPI document.

Responses are built from the monitor library's dataclasses (``from_attributes``). Every text a client sends
is a ``Text``: no NUL byte or lone surrogate (which no database stores) and a bounded length.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _storable(text: str) -> str:
    if "\x00" in text:
        raise ValueError("text may not contain NUL bytes")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text is not valid Unicode") from None
    return text


def text(max_length: int, min_length: int = 0) -> Any:
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(_storable)]


Name = text(64, 1)
Label = text(120, 1)
LongText = text(10_000)
Role = Literal["admin", "manager", "evaluator", "viewer"]
Colour = Literal["grey", "red", "orange", "yellow", "green", "blue", "purple"]
Id = Annotated[int, Field(ge=0, le=2**53)]


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid")


# -- errors ---------------------------------------------------------------------------------------------
class ErrorDetail(Model):
    code: str = Field(description="stable machine-readable name: unauthenticated, forbidden, not_found, ...")
    message: str
    status: int
    details: list[dict[str, Any]] | None = None


class ErrorBody(Model):
    error: ErrorDetail


# -- auth, users, tokens ---------------------------------------------------------------------------------
class Credentials(Model):
    username: Name
    password: text(1024, 1)
    label: text(120) | None = None
    days: int = Field(default=30, ge=1, le=366)


class TokenOut(Model):
    access_token: str = Field(description="shown once: patscape keeps only its hash")
    token_type: Literal["bearer"] = "bearer"
    token_id: str
    expires_at: dt.datetime


class UserOut(Model):
    user_id: int
    name: str
    display_name: str | None
    email: str | None
    role: Role
    active: bool
    created_at: dt.datetime
    denied: list[str] = Field(description="permissions the admin has switched off for this user")


class UserIn(Model):
    name: Name
    role: Role
    password: text(1024, 8) | None = None
    display_name: Label | None = None
    email: text(254) | None = None


class UserChange(Model):
    role: Role | None = None
    active: bool | None = None
    display_name: Label | None = None
    email: text(254) | None = None


class PasswordIn(Model):
    password: text(1024, 8)


class PermissionIn(Model):
    allowed: bool


class TokenIn(Model):
    label: text(120) | None = None
    days: int = Field(default=30, ge=1, le=366)
    user: Name | None = Field(default=None, description="an admin may issue a token for another user")


class TokenInfoOut(Model):
    token_id: str
    user_id: int
    user_name: str
    label: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    active: bool


# -- workspaces -----------------------------------------------------------------------------------------
class WorkspaceIn(Model):
    name: Label
    kind: Literal["monitoring", "project"] = "monitoring"
    description: text(2000) | None = None
    watch_from: dt.datetime | None = Field(
        default=None, description="monitoring: publications arriving from then on (default: now)"
    )
    allow_training: bool = False


class WorkspaceChange(Model):
    description: text(2000) | None = None
    allow_training: bool | None = None


class WorkspaceOut(Model):
    ws_id: int
    name: str
    kind: str
    description: str | None
    watch_from: dt.datetime | None
    allow_training: bool
    created_at: dt.datetime
    created_by: int | None


class MemberIn(Model):
    user: Name


class MemberOut(Model):
    user_id: int
    name: str
    display_name: str | None
    role: str
    added_at: dt.datetime


class CategoryIn(Model):
    name: Label
    colour: Colour | None = None


class CategoryOut(Model):
    category_id: int
    ws_id: int
    name: str
    colour: str | None


class TagIn(Model):
    name: Label
    category_id: Id | None = None


class TagOut(Model):
    tag_id: int
    ws_id: int
    category_id: int | None
    name: str


# -- watch profiles ---------------------------------------------------------------------------------------
class RuleModel(Model):
    cpc: text(200, 1) | None = None
    tag: text(200, 1) | None = None
    owner: text(200, 1) | None = None
    to: list[Name] = Field(min_length=1, max_length=50)


class ProfileIn(Model):
    name: Label
    query: text(2000, 1)
    genai: Literal["yes", "no"] | None = None
    min_score: float | None = Field(default=None, ge=0, le=1)
    rules: list[RuleModel] = Field(default_factory=list, max_length=100)
    fallback: Literal["round_robin", "best_rated"] = "round_robin"
    active: bool = True


class ProfileOut(Model):
    profile_id: int
    ws_id: int
    name: str
    query: str
    genai: str | None
    min_score: float | None
    rules: list[dict[str, Any]]
    fallback: str
    active: bool
    created_at: dt.datetime | None
    updated_at: dt.datetime | None


class PreviewIn(Model):
    query: text(2000, 1)
    genai: Literal["yes", "no"] | None = None
    min_score: float | None = Field(default=None, ge=0, le=1)
    days: int = Field(default=28, ge=1, le=3660)
    limit: int = Field(default=50, ge=1, le=500)


class PreviewOut(Model):
    arrived: int
    matched: int
    documents: list[dict[str, Any]]


class RouteOut(Model):
    ws_id: int
    run_id: int
    arrived_from: dt.datetime | None
    arrived_to: dt.datetime | None
    candidates: int
    matched: int
    added: int
    tasks: int
    inherited: int


# -- evaluation -----------------------------------------------------------------------------------------
class DocumentIn(Model):
    key: text(60, 1)


class RatingIn(Model):
    level: int = Field(ge=0, le=3, description="0 not relevant ... 3 highly relevant (comment required)")
    comment: LongText | None = None


class DocumentTagIn(Model):
    tag: Label
    create: bool = False


class CommentIn(Model):
    text: text(10_000, 1)
    pinned: bool = False
    colour: Colour | None = None


class CommentChange(Model):
    pinned: bool | None = None
    colour: Colour | Literal[""] | None = None


class AssignIn(Model):
    user: Name
    due: dt.date | None = None


class ForwardIn(Model):
    to: Name
    from_user: Name | None = None
    note: LongText | None = None


class DoneIn(Model):
    done: bool = True
    user: Name | None = None


class DueIn(Model):
    user: Name
    due: dt.date | None = None


class TaskOut(Model):
    ws_id: int
    pub_key: str
    title: str | None
    published: dt.date | None
    family_id: str | None
    assignee: int
    assignee_name: str
    state: str
    due: dt.date | None
    assigned_at: dt.datetime
    done_at: dt.datetime | None
    rating: int | None
    inherited_from: str | None
    genai_score: float | None


class RatingOut(Model):
    level: int
    comment: str | None
    rated_by: int | None
    rated_by_name: str | None
    rated_at: dt.datetime
    inherited_from: str | None


class CommentOut(Model):
    comment_id: int
    author_id: int | None
    author_name: str | None
    text: str
    pinned: bool
    colour: str | None
    created_at: dt.datetime
    mentions: list[str]


class DocumentTagOut(Model):
    tag_id: int
    name: str
    category_id: int | None
    tagged_by: int | None
    tagged_at: dt.datetime


class DocumentOut(Model):
    ws_id: int
    pub_key: str
    title: str | None
    published: dt.date | None
    family_id: str | None
    added_at: dt.datetime
    source: str | None
    profile_id: int | None
    rating: RatingOut | None
    tags: list[DocumentTagOut]
    comments: list[CommentOut]
    tasks: list[TaskOut]


class CommentCreated(Model):
    comment_id: int


class EventOut(Model):
    event_id: int
    happened_at: dt.datetime
    actor_id: int | None
    actor_name: str | None
    action: str
    ws_id: int | None
    pub_key: str | None
    subject: str | None
    old: Any = None
    new: Any = None


class EvaluatedOut(Model):
    ws_id: int
    workspace: str
    pub_key: str
    title: str | None
    published: dt.date | None
    family_id: str | None
    rating: int
    inherited_from: str | None
    rated_by: str | None
    rated_at: dt.datetime | None
    rating_comment: str | None
    tags: list[str]


# -- publications, search, landscape ----------------------------------------------------------------------
class PublicationOut(Model):
    model_config = ConfigDict(extra="allow")
    publication: dict[str, Any]


class SearchHit(Model):
    pub_key: str
    score: float | None
    title: str | None


class LandscapeOut(Model):
    meta: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
