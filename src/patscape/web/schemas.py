"""The API's request and response bodies (pydantic), the source of the OpenAPI document.

Responses are built from the monitor library's dataclasses (``from_attributes``). Every text a client sends
is a ``Text``: no NUL byte or lone surrogate (which no database stores) and a bounded length.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field


def _storable(text: str) -> str:
    """A lone surrogate (JSON allows ``\\ud800``) is no character and no database stores it: replaced."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return text


NO_NUL = r"^[^\x00]*$"
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
LABEL = r"^ *[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"  # no control characters, not blank


def text(max_length: int, min_length: int = 0, pattern: str = NO_NUL) -> Any:
    field = Field(min_length=min_length, max_length=max_length, pattern=pattern)
    return Annotated[str, field, AfterValidator(_storable)]


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    """An input time as the store keeps it: UTC without a zone."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def json_type(*types: type) -> Any:
    """Refuse what pydantic would otherwise convert (``0`` to false, ``"1"`` to 1, ``0`` to 1970-01-01)."""
    names = " or ".join(t.__name__ for t in types)

    def check(value: Any) -> Any:
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ValueError(f"expected a JSON {names}")
        return value

    return BeforeValidator(check)


Bool = Annotated[bool, json_type(bool)]
Int = Annotated[int, json_type(int)]
Number = Annotated[float, json_type(int, float)]
Date = Annotated[dt.date, json_type(str)]
DateTime = Annotated[dt.datetime, json_type(str)]
Name = text(64, 1, NAME)
Label = text(120, 1, LABEL)
LongText = text(10_000)
Time = Annotated[dt.datetime, AfterValidator(_utc)]  # the store's UTC times, sent with their zone
Role = Literal["admin", "manager", "evaluator", "viewer"]
Colour = Literal["grey", "red", "orange", "yellow", "green", "blue", "purple"]
Id = Annotated[int, Field(ge=0, le=2**53)]


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid")


class Input(Model):
    """A request body. Its fields take JSON's own types only (``0`` is no boolean, ``"1"`` no number, a date
    is ISO text): see ``json_type``."""


# -- errors ---------------------------------------------------------------------------------------------
class ErrorDetail(Model):
    code: str = Field(description="stable machine-readable name: unauthenticated, forbidden, not_found, ...")
    message: str
    status: int
    details: list[dict[str, Any]] | None = None


class ErrorBody(Model):
    error: ErrorDetail


# -- auth, users, tokens ---------------------------------------------------------------------------------
class Credentials(Input):
    username: Name
    password: text(1024, 1)
    label: text(120) | None = None
    days: Int = Field(default=30, ge=1, le=366)


class TokenOut(Model):
    access_token: str = Field(description="shown once: patscape keeps only its hash")
    token_type: Literal["bearer"] = "bearer"
    token_id: str
    expires_at: Time


class UserOut(Model):
    user_id: int
    name: str
    display_name: str | None
    email: str | None
    role: Role
    active: bool
    created_at: Time
    denied: list[str] = Field(description="permissions the admin has switched off for this user")


class UserIn(Input):
    name: Name
    role: Role
    password: text(1024, 8) | None = None
    display_name: Label | None = None
    email: text(254) | None = None


class UserChange(Input):
    role: Role | None = None
    active: Bool | None = None
    display_name: Label | None = None
    email: text(254) | None = None


class PasswordIn(Input):
    password: text(1024, 8)


class PermissionIn(Input):
    allowed: Bool


class TokenIn(Input):
    label: text(120) | None = None
    days: Int = Field(default=30, ge=1, le=366)
    user: Name | None = Field(default=None, description="an admin may issue a token for another user")


class TokenInfoOut(Model):
    token_id: str
    user_id: int
    user_name: str
    label: str | None
    created_at: Time
    expires_at: Time
    revoked_at: Time | None
    active: bool


# -- workspaces -----------------------------------------------------------------------------------------
class WorkspaceIn(Input):
    name: Label
    kind: Literal["monitoring", "project"] = "monitoring"
    description: text(2000) | None = None
    watch_from: DateTime | None = Field(
        default=None, description="monitoring: publications arriving from then on (default: now)"
    )
    allow_training: Bool = False


class WorkspaceChange(Input):
    description: text(2000) | None = None
    allow_training: Bool | None = None


class WorkspaceOut(Model):
    ws_id: int
    name: str
    kind: str
    description: str | None
    watch_from: Time | None
    allow_training: bool
    created_at: Time
    created_by: int | None


class MemberIn(Input):
    user: Name


class MemberOut(Model):
    user_id: int
    name: str
    display_name: str | None
    role: str
    added_at: Time


class CategoryIn(Input):
    name: Label
    colour: Colour | None = None


class CategoryOut(Model):
    category_id: int
    ws_id: int
    name: str
    colour: str | None


class TagIn(Input):
    name: Label
    category_id: Int | None = None


class TagOut(Model):
    tag_id: int
    ws_id: int
    category_id: int | None
    name: str


# -- watch profiles ---------------------------------------------------------------------------------------
Evaluators = Annotated[list[Name], Field(min_length=1, max_length=50, description="user names")]


class CpcRule(Input):
    cpc: text(200, 1, LABEL) = Field(description="a CPC prefix: G06N3")
    to: Evaluators


class TagRule(Input):
    tag: text(200, 1, LABEL) = Field(description="a taxonomy tag (model:GAN) or an ingested tag")
    to: Evaluators


class OwnerRule(Input):
    owner: text(200, 1, LABEL) = Field(
        description="an owner group (id or name) or part of an applicant's name"
    )
    to: Evaluators


RuleModel = CpcRule | TagRule | OwnerRule
QUERY = r"^[^\x00]*\S[^\x00]*$"


class ProfileIn(Input):
    name: Label
    query: text(2000, 1, QUERY)
    genai: Literal["yes", "no"] | None = None
    min_score: Number | None = Field(default=None, ge=0, le=1)
    rules: list[RuleModel] = Field(default_factory=list, max_length=100)
    fallback: Literal["round_robin", "best_rated"] = "round_robin"
    active: Bool = True


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
    created_at: Time | None
    updated_at: Time | None


class PreviewIn(Input):
    query: text(2000, 1, QUERY)
    genai: Literal["yes", "no"] | None = None
    min_score: Number | None = Field(default=None, ge=0, le=1)
    days: Int = Field(default=28, ge=1, le=3660)
    limit: Int = Field(default=50, ge=1, le=500)


class PreviewOut(Model):
    arrived: int
    matched: int
    documents: list[dict[str, Any]]


class RouteOut(Model):
    ws_id: int
    run_id: int
    arrived_from: Time | None
    arrived_to: Time | None
    candidates: int
    matched: int
    added: int
    tasks: int
    inherited: int


# -- evaluation -----------------------------------------------------------------------------------------
class DocumentIn(Input):
    key: text(60, 1)


class RatingIn(Input):
    """0 not relevant, 1 state of the art / of interest, 2 relevant to my field (comment optional)."""

    level: Annotated[Literal[0, 1, 2], json_type(int)]
    comment: LongText | None = None


class HighRatingIn(Input):
    """3 highly relevant (possible infringement, own R&D): say why."""

    level: Annotated[Literal[3], json_type(int)]
    comment: text(10_000, 1, r"^[^\x00]*\S[^\x00]*$")


Rating = RatingIn | HighRatingIn  # no discriminator: an integer one cannot be generated from the schema


class DocumentTagIn(Input):
    tag: Label
    create: Bool = False


class CommentIn(Input):
    text: text(10_000, 1)
    pinned: Bool = False
    colour: Colour | None = None


class CommentChange(Input):
    pinned: Bool | None = None
    colour: Colour | Literal[""] | None = None


class AssignIn(Input):
    user: Name
    due: Date | None = None


class ForwardIn(Input):
    to: Name
    from_user: Name | None = None
    note: LongText | None = None


class DoneIn(Input):
    done: Bool = True
    user: Name | None = None


class DueIn(Input):
    user: Name
    due: Date | None = None


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
    assigned_at: Time
    done_at: Time | None
    rating: int | None
    inherited_from: str | None
    genai_score: float | None


class RatingOut(Model):
    level: int
    comment: str | None
    rated_by: int | None
    rated_by_name: str | None
    rated_at: Time
    inherited_from: str | None


class CommentOut(Model):
    comment_id: int
    author_id: int | None
    author_name: str | None
    text: str
    pinned: bool
    colour: str | None
    created_at: Time
    mentions: list[str]


class DocumentTagOut(Model):
    tag_id: int
    name: str
    category_id: int | None
    tagged_by: int | None
    tagged_at: Time


class DocumentOut(Model):
    ws_id: int
    pub_key: str
    title: str | None
    published: dt.date | None
    family_id: str | None
    added_at: Time
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
    happened_at: Time
    actor_id: int | None
    actor_name: str | None
    action: str
    ws_id: int | None
    pub_key: str | None
    subject: str | None
    old: Any = None
    new: Any = None


class NotificationOut(Model):
    reason: Literal["mentioned", "assigned", "changed"] = Field(
        description="an @-mention of you, a task given to you, or a change to a document you follow"
    )
    event: EventOut


class SeenIn(Input):
    up_to: Int = Field(ge=0, le=2**53, description="the event id up to which notifications are seen")


class SeenOut(Model):
    up_to: int


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
    rated_at: Time | None
    rating_comment: str | None
    tags: list[str]


# -- publications, search, landscape ----------------------------------------------------------------------
class PublicationOut(Model):
    model_config = ConfigDict(extra="allow")
    publication: dict[str, Any]


class SnippetOut(Model):
    kind: str = Field(description="the text it is from: abstract, claims, title, description")
    text: str
    highlights: list[list[int]] = Field(description="[start, end) offsets of the words found, in text")


class SearchHit(Model):
    pub_key: str
    score: float
    title: str | None
    published: str | None
    country: str | None
    family_id: str
    members: int = Field(description="with families=true: the family's publications found")
    applicants: list[str]
    snippet: SnippetOut | None


class SearchOut(Model):
    query: str
    total: int = Field(description="publications (or families) found")
    unit: Literal["publications", "families"]
    sort: Literal["relevance", "date"]
    hits: list[SearchHit]
    notes: list[str]


class LandscapeOut(Model):
    meta: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
