"""The database schema, defined once for every backend.

One row per publication in ``publications``; parties, classes, texts, priorities, related documents,
citations, events and tags in their own tables keyed by ``pub_key`` (the PatentsView / PATSTAT shape).
Column types are the SQL names that DuckDB and PostgreSQL both understand.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    primary_key: tuple[str, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def ddl(self, secondary_indexes: bool = True) -> list[str]:
        cols = [f"{c} {t}" for c, t in self.columns]
        if self.primary_key:
            cols.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        stmts = [f"CREATE TABLE IF NOT EXISTS {self.name} (\n  " + ",\n  ".join(cols) + "\n)"]
        for idx in self.indexes if secondary_indexes else ():
            stmts.append(
                f"CREATE INDEX IF NOT EXISTS {self.name}_{'_'.join(idx)}_idx "
                f"ON {self.name} ({', '.join(idx)})"
            )
        return stmts


_SOURCE = (
    ("source_file", "TEXT"),
    ("source_member", "TEXT"),
    ("source_index", "INTEGER"),
    ("source_offset", "BIGINT"),
    ("source_line", "INTEGER"),
    ("reader", "TEXT"),
    ("reader_version", "TEXT"),
)

PUBLICATIONS = Table(
    "publications",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("country", "TEXT NOT NULL"),
        ("number", "TEXT NOT NULL"),
        ("kind", "TEXT"),
        ("doc_type", "TEXT"),
        ("published", "DATE"),
        ("granted", "DATE"),
        ("app_country", "TEXT"),
        ("app_number", "TEXT"),
        ("app_date", "DATE"),
        ("app_type", "TEXT"),
        ("family_id", "TEXT"),
        ("family_size", "INTEGER"),
        ("cited_by_count", "INTEGER"),
        ("claim_count", "INTEGER"),
        ("figure_count", "INTEGER"),
        ("sheet_count", "INTEGER"),
        ("title", "TEXT"),
        ("version", "TEXT"),
        ("precedence", "INTEGER"),
        ("content_hash", "TEXT NOT NULL"),
        *_SOURCE,
        ("ingested_at", "TIMESTAMP"),
        # -- recovered documents (sources/recovery.py): what recovery lost; null when read as written
        ("recovered", "TEXT"),
    ),
    primary_key=("pub_key",),
    indexes=(("family_id",), ("published",)),
)

TEXTS = Table(
    "texts",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("seq", "INTEGER"),
        ("kind", "TEXT NOT NULL"),
        ("lang", "TEXT"),
        ("text", "TEXT"),
    ),
    indexes=(("pub_key",),),
)

PARTIES = Table(
    "parties",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("role", "TEXT NOT NULL"),
        ("seq", "INTEGER"),
        ("pos", "INTEGER"),  # position in the record's list (seq is the source's own sequence)
        ("name", "TEXT"),
        ("given_name", "TEXT"),
        ("family_name", "TEXT"),
        ("country", "TEXT"),
        ("city", "TEXT"),
        ("state", "TEXT"),
        ("lang", "TEXT"),
        ("party_kind", "TEXT"),
    ),
    indexes=(("pub_key",),),
)

CLASSES = Table(
    "classes",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("scheme", "TEXT NOT NULL"),
        ("seq", "INTEGER"),
        ("pos", "INTEGER"),
        ("code", "TEXT NOT NULL"),
        ("is_first", "BOOLEAN"),
        ("inventive", "BOOLEAN"),
    ),
    indexes=(("pub_key",), ("code",)),
)

PRIORITIES = Table(
    "priorities",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("seq", "INTEGER"),
        ("country", "TEXT"),
        ("number", "TEXT"),
        ("date", "DATE"),
        ("kind", "TEXT"),
    ),
    indexes=(("pub_key",),),
)

RELATED = Table(
    "related",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("seq", "INTEGER"),
        ("relation", "TEXT"),
        ("country", "TEXT"),
        ("number", "TEXT"),
        ("date", "DATE"),
        ("kind", "TEXT"),
        ("role", "TEXT"),
    ),
    indexes=(("pub_key",),),
)

CITATIONS = Table(
    "citations",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("seq", "INTEGER"),
        ("pos", "INTEGER"),
        ("cited_key", "TEXT"),
        ("country", "TEXT"),
        ("number", "TEXT"),
        ("kind", "TEXT"),
        ("date", "DATE"),
        ("npl", "TEXT"),
        ("cited_by", "TEXT"),
        ("category", "TEXT"),
    ),
    indexes=(("pub_key",), ("cited_key",)),
)

EVENTS = Table(
    "events",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("seq", "INTEGER"),
        ("date", "DATE"),
        ("code", "TEXT"),
        ("description", "TEXT"),
    ),
    indexes=(("pub_key",),),
)

TAGS = Table(
    "tags",
    (("pub_key", "TEXT NOT NULL"), ("pos", "INTEGER"), ("tag", "TEXT NOT NULL")),
    indexes=(("pub_key",),),
)

ATTACHMENTS = Table(
    "attachments",
    (("pub_key", "TEXT NOT NULL"), ("kind", "TEXT NOT NULL"), ("detail", "TEXT"), *_SOURCE),
    indexes=(("pub_key",),),
)

QUARANTINE = Table(
    "quarantine",
    (
        ("quarantine_id", "TEXT NOT NULL"),
        ("pub_key", "TEXT"),
        ("reason", "TEXT NOT NULL"),
        ("snippet", "TEXT"),
        ("input_hash", "TEXT"),
        *_SOURCE,
        ("quarantined_at", "TIMESTAMP"),
        # -- recovered documents: "rejected" (not stored) or "recovered" (stored and marked, see reason)
        ("kind", "TEXT"),
    ),
    primary_key=("quarantine_id",),
)

INGEST_LOG = Table(
    "ingest_log",
    (
        ("input_hash", "TEXT NOT NULL"),  # content hash of the file or archive member
        ("file", "TEXT NOT NULL"),
        ("member", "TEXT"),
        ("size", "BIGINT"),
        ("reader", "TEXT"),
        ("status", "TEXT NOT NULL"),  # running, done, refused, unrecognised
        ("items_done", "BIGINT"),  # records committed so far (a resumed run starts after them)
        ("read", "BIGINT"),
        ("stored", "BIGINT"),
        ("replaced", "BIGINT"),
        ("unchanged", "BIGINT"),
        ("rejected", "BIGINT"),
        ("attached", "BIGINT"),
        ("message", "TEXT"),
        ("started_at", "TIMESTAMP"),
        ("finished_at", "TIMESTAMP"),
    ),
    primary_key=("input_hash",),
)

# The titles of classification codes (IPC; CPC shares its subclasses and main groups), at subclass
# ("G06N") and main-group ("G06N3") level, loaded by ``patscape titles`` from the IPC scheme's text.
CLASS_TITLES = Table(
    "class_titles",
    (
        ("code", "TEXT NOT NULL"),
        ("title", "TEXT NOT NULL"),
        ("version", "TEXT"),
    ),
    primary_key=("code",),
)

# Generative-AI labels (enrich/genai): one row per publication and method ("query": retrieved or not;
# "classifier": the final yes/no), with the version of the query/model that made it and its evidence (JSON).
GENAI_LABELS = Table(
    "genai_labels",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("method", "TEXT NOT NULL"),
        ("method_version", "TEXT NOT NULL"),
        ("is_genai", "BOOLEAN"),
        ("score", "DOUBLE PRECISION"),
        ("evidence", "TEXT"),
        ("labelled_at", "TIMESTAMP"),
    ),
    primary_key=("pub_key", "method"),
    indexes=(("method", "is_genai"),),
)

# Taxonomy tags of the generative-AI documents (dimension model / mode) and the application field of every
# labelled document (dimension application), with the same version and evidence.
GENAI_TAGS = Table(
    "genai_tags",
    (
        ("pub_key", "TEXT NOT NULL"),
        ("dimension", "TEXT NOT NULL"),
        ("tag", "TEXT NOT NULL"),
        ("method", "TEXT NOT NULL"),
        ("method_version", "TEXT NOT NULL"),
        ("score", "DOUBLE PRECISION"),
        ("evidence", "TEXT"),
    ),
    indexes=(("pub_key",), ("dimension", "tag")),
)

META = Table("patscape_meta", (("key", "TEXT NOT NULL"), ("value", "TEXT")), primary_key=("key",))

# -- enrichment: derived tables, rebuilt as a whole by patscape.enrich (never written by the ingest) -----
# Unique keys (not declared, so that bulk rewrites stay fast): families (family_id); family_members
# (pub_key); family_countries (family_id, basis, country); owner_groups (raw_name); family_owners
# (family_id, group_id).

FAMILIES = Table(
    "families",
    (
        ("family_id", "TEXT NOT NULL"),  # the DOCDB id where a source states one, else "x:<first pub_key>"
        ("family_type", "TEXT NOT NULL"),  # docdb, simple or extended
        ("earliest_priority", "DATE"),
        ("priority_year", "INTEGER"),
        ("earliest_publication", "DATE"),
        ("publication_year", "INTEGER"),
        ("first_filing_office", "TEXT"),
        ("granted", "BOOLEAN"),
        ("member_count", "INTEGER"),
        ("office_count", "INTEGER"),
    ),
    indexes=(("family_id",),),
)

FAMILY_MEMBERS = Table(
    "family_members",
    (
        ("family_id", "TEXT NOT NULL"),
        ("pub_key", "TEXT NOT NULL"),
        ("country", "TEXT"),
        ("published", "DATE"),
        ("kind", "TEXT"),
        ("simple_family_id", "TEXT"),
        ("extended_family_id", "TEXT"),
    ),
    indexes=(("family_id",), ("pub_key",)),
)

FAMILY_COUNTRIES = Table(
    "family_countries",
    (
        ("family_id", "TEXT NOT NULL"),
        ("basis", "TEXT NOT NULL"),  # inventor, applicant, office (first filing), member
        ("country", "TEXT NOT NULL"),
        ("weight", "DOUBLE PRECISION"),  # 1/n over the family's countries on that basis
    ),
    indexes=(("family_id",),),
)

OWNER_GROUPS = Table(
    "owner_groups",
    (
        ("raw_name", "TEXT NOT NULL"),
        ("normalised", "TEXT"),
        ("group_id", "TEXT NOT NULL"),
        ("group_name", "TEXT"),
        ("country", "TEXT"),
        ("method", "TEXT"),  # alias, fuzzy, self
        ("score", "DOUBLE PRECISION"),
        # how the name was read, kept so that an incremental run reads only new names: it reads as a
        # company's, and the alias group its normalised form matches
        ("organisation", "BOOLEAN"),
        ("alias_id", "TEXT"),
    ),
    indexes=(("raw_name",), ("group_id",)),
)

FAMILY_OWNERS = Table(
    "family_owners",
    (
        ("family_id", "TEXT NOT NULL"),
        ("group_id", "TEXT NOT NULL"),
        ("group_name", "TEXT"),
        ("country", "TEXT"),
        ("weight", "DOUBLE PRECISION"),  # 1/n over the family's owner groups
    ),
    indexes=(("family_id",), ("group_id",)),
)

ENRICH_TABLES = (FAMILIES, FAMILY_MEMBERS, FAMILY_COUNTRIES, OWNER_GROUPS, FAMILY_OWNERS)

# -- the search language's index (patscape.search.index): written by ingest, enrich and `patscape index`,
# never by a search. Positional postings of the normalised words of every text and of every party or owner
# group name; a document id is never reused, so the postings of a replaced publication are left behind
# (unreachable) until the next full rebuild sorts the table again.

SEARCH_DOCS = Table(
    "search_docs",
    (
        ("doc_id", "INTEGER NOT NULL"),
        ("pub_key", "TEXT NOT NULL"),
        ("content_hash", "TEXT NOT NULL"),  # the publication's when indexed (a differing one is stale)
        ("length", "INTEGER"),  # words in title, abstract and claims (relevance)
    ),
    indexes=(("pub_key",), ("doc_id",)),
)

SEARCH_NAMES = Table(
    "search_names",
    (("doc_id", "INTEGER NOT NULL"), ("name", "TEXT NOT NULL")),
    indexes=(("name",), ("doc_id",)),
)

SEARCH_POSTINGS = Table(
    "search_postings",
    (
        ("term", "TEXT NOT NULL"),
        (
            "field",
            "SMALLINT NOT NULL",
        ),  # 1 title, 2 abstract, 3 claims, 4 description, 9 a name, 10 CPC, 11 IPC, 12 owner, 13 inventor
        ("doc_id", "INTEGER NOT NULL"),  # search_docs.doc_id, or search_names.doc_id for a name
        # a word is the normalised word; a code (CPC, IPC) the code as stored
        ("part", "INTEGER NOT NULL"),  # the text (texts.seq) the word is in
        ("pos", "INTEGER NOT NULL"),  # the word's index in that text
    ),
    indexes=(("doc_id",),),
)

SEARCH_TABLES = (SEARCH_DOCS, SEARCH_NAMES, SEARCH_POSTINGS)

# -- monitoring (patscape.monitor): users, workspaces, watch profiles and the evaluation event log --------
# Ids come from the sequences ``monitor_ids`` and ``monitor_event_ids`` that ``patscape.monitor.schema``
# creates (with, on PostgreSQL, the trigger that keeps the event log append-only). The configuration
# tables are changed in place and every change is also written to ``monitor_events``; the evaluation state
# (documents, tasks, document tags, comments, mentions) is derived from the log and can be rebuilt from it.

MONITOR_USERS = Table(
    "monitor_users",
    (
        ("user_id", "BIGINT NOT NULL"),
        ("name", "TEXT NOT NULL UNIQUE"),
        ("display_name", "TEXT"),
        ("email", "TEXT"),
        ("role", "TEXT NOT NULL"),  # admin, manager, evaluator, viewer
        ("password_hash", "TEXT"),  # argon2id; NULL: signs in with tokens only
        ("active", "BOOLEAN NOT NULL"),
        ("created_at", "TIMESTAMP NOT NULL"),
    ),
    primary_key=("user_id",),
)

MONITOR_TOKENS = Table(
    "monitor_tokens",
    (
        ("token_id", "TEXT NOT NULL"),  # public part of the token, shown in lists and used to revoke it
        ("user_id", "BIGINT NOT NULL"),
        ("secret_hash", "TEXT NOT NULL"),  # SHA-256 of the secret part; the secret itself is never stored
        ("label", "TEXT"),
        ("created_at", "TIMESTAMP NOT NULL"),
        ("expires_at", "TIMESTAMP NOT NULL"),
        ("revoked_at", "TIMESTAMP"),
    ),
    primary_key=("token_id",),
    indexes=(("user_id",),),
)

MONITOR_PERMISSIONS = Table(  # the admin's switches: a row forbids (or allows) one permission to one user
    "monitor_permissions",
    (("user_id", "BIGINT NOT NULL"), ("permission", "TEXT NOT NULL"), ("allowed", "BOOLEAN NOT NULL")),
    primary_key=("user_id", "permission"),
)

MONITOR_WORKSPACES = Table(
    "monitor_workspaces",
    (
        ("ws_id", "BIGINT NOT NULL"),
        ("name", "TEXT NOT NULL UNIQUE"),
        ("kind", "TEXT NOT NULL"),  # monitoring (fed by watch profiles) or project (documents added by hand)
        ("description", "TEXT"),
        ("watch_from", "TIMESTAMP"),  # monitoring: publications arriving in the database from then on
        ("allow_training", "BOOLEAN NOT NULL"),  # its ratings may teach the classifier (patscape retrain)
        ("created_at", "TIMESTAMP NOT NULL"),
        ("created_by", "BIGINT"),
    ),
    primary_key=("ws_id",),
)

MONITOR_MEMBERS = Table(
    "monitor_members",
    (
        ("ws_id", "BIGINT NOT NULL"),
        ("user_id", "BIGINT NOT NULL"),
        ("added_at", "TIMESTAMP NOT NULL"),
    ),
    primary_key=("ws_id", "user_id"),
    indexes=(("user_id",),),
)

MONITOR_TAG_CATEGORIES = Table(
    "monitor_tag_categories",
    (
        ("category_id", "BIGINT NOT NULL"),
        ("ws_id", "BIGINT NOT NULL"),
        ("name", "TEXT NOT NULL"),
        ("colour", "TEXT"),
    ),
    primary_key=("category_id",),
    indexes=(("ws_id",),),
)

MONITOR_TAGS = Table(
    "monitor_tags",
    (
        ("tag_id", "BIGINT NOT NULL"),
        ("ws_id", "BIGINT NOT NULL"),
        ("category_id", "BIGINT"),
        ("name", "TEXT NOT NULL"),
        ("created_by", "BIGINT"),
        ("created_at", "TIMESTAMP NOT NULL"),
    ),
    primary_key=("tag_id",),
    indexes=(("ws_id",),),
)

MONITOR_PROFILES = Table(
    "monitor_profiles",
    (
        ("profile_id", "BIGINT NOT NULL"),
        ("ws_id", "BIGINT NOT NULL"),
        ("name", "TEXT NOT NULL"),
        ("query", "TEXT NOT NULL"),  # in the search language
        ("genai", "TEXT"),  # the classifier condition: yes, no or NULL (either)
        ("min_score", "DOUBLE PRECISION"),  # and the classifier's score at least this
        ("rules", "TEXT NOT NULL"),  # JSON routing rules: [{"cpc"|"tag"|"owner": value, "to": [names]}]
        ("fallback", "TEXT NOT NULL"),  # round_robin or best_rated (among the workspace's evaluators)
        ("active", "BOOLEAN NOT NULL"),
        ("created_at", "TIMESTAMP NOT NULL"),
        ("updated_at", "TIMESTAMP NOT NULL"),
    ),
    primary_key=("profile_id",),
    indexes=(("ws_id",),),
)

MONITOR_ROUTE_RUNS = Table(  # one row per routing run and workspace; never changed afterwards
    "monitor_route_runs",
    (
        ("run_id", "BIGINT NOT NULL"),
        ("ws_id", "BIGINT NOT NULL"),
        ("started_at", "TIMESTAMP NOT NULL"),
        ("arrived_from", "TIMESTAMP"),  # publications that arrived from then on were considered...
        ("arrived_to", "TIMESTAMP"),  # ...up to then (the next run starts here)
        ("candidates", "BIGINT"),
        ("matched", "BIGINT"),
        ("added", "BIGINT"),
        ("tasks", "BIGINT"),
        ("inherited", "BIGINT"),
    ),
    primary_key=("run_id",),
    indexes=(("ws_id",),),
)

MONITOR_EVENTS = Table(  # the append-only log: who did what, when, to which object, with before and after
    "monitor_events",
    (
        ("event_id", "BIGINT NOT NULL"),
        ("happened_at", "TIMESTAMP NOT NULL"),
        ("actor_id", "BIGINT"),  # NULL: patscape itself (routing)
        ("action", "TEXT NOT NULL"),
        ("ws_id", "BIGINT"),
        ("pub_key", "TEXT"),
        ("subject", "TEXT"),  # the object acted on beside the document: a user, tag, comment, token...
        ("old_value", "TEXT"),  # JSON
        ("new_value", "TEXT"),  # JSON
    ),
    primary_key=("event_id",),
    indexes=(("ws_id", "pub_key"), ("actor_id",)),
)

MONITOR_WEBHOOKS = Table(  # where a user's digests are posted (JSON, signed with the secret: HMAC-SHA256)
    "monitor_webhooks",
    (
        ("webhook_id", "BIGINT NOT NULL"),
        ("user_id", "BIGINT NOT NULL"),
        ("url", "TEXT NOT NULL"),
        ("secret", "TEXT NOT NULL"),  # kept as is: signing needs it (a token, by contrast, is only checked)
        ("created_at", "TIMESTAMP NOT NULL"),
        ("active", "BOOLEAN NOT NULL"),
    ),
    primary_key=("webhook_id",),
    indexes=(("user_id",),),
)

MONITOR_DELIVERIES = Table(  # the digests' delivery log, one row per attempt; never changed afterwards
    "monitor_deliveries",
    (
        ("delivery_id", "BIGINT NOT NULL"),
        ("user_id", "BIGINT NOT NULL"),
        ("channel", "TEXT NOT NULL"),  # email, webhook
        ("webhook_id", "BIGINT"),
        ("attempt", "INTEGER NOT NULL"),
        ("attempted_at", "TIMESTAMP NOT NULL"),
        ("up_to", "BIGINT NOT NULL"),  # the digest holds the user's notifications up to this event
        ("items", "INTEGER NOT NULL"),
        ("delivered", "BOOLEAN NOT NULL"),
        ("status", "INTEGER"),  # the receiver's HTTP status or SMTP reply code
        ("error", "TEXT"),
    ),
    primary_key=("delivery_id",),
    indexes=(("user_id", "channel"),),
)

# Derived from monitor_events (patscape.monitor.state): the evaluation as it stands.
MONITOR_DOCUMENTS = Table(
    "monitor_documents",
    (
        ("ws_id", "BIGINT NOT NULL"),
        ("pub_key", "TEXT NOT NULL"),
        ("family_id", "TEXT"),
        ("added_at", "TIMESTAMP NOT NULL"),
        ("added_by", "BIGINT"),
        ("source", "TEXT"),  # routing, manual
        ("profile_id", "BIGINT"),
        ("rating", "INTEGER"),
        ("rating_comment", "TEXT"),
        ("rated_by", "BIGINT"),
        ("rated_at", "TIMESTAMP"),
        ("inherited_from", "TEXT"),  # the family member whose rating this one carries
        ("last_event_id", "BIGINT NOT NULL"),
    ),
    primary_key=("ws_id", "pub_key"),
    indexes=(("ws_id", "family_id"),),
)

MONITOR_TASKS = Table(
    "monitor_tasks",
    (
        ("ws_id", "BIGINT NOT NULL"),
        ("pub_key", "TEXT NOT NULL"),
        ("assignee", "BIGINT NOT NULL"),
        ("state", "TEXT NOT NULL"),  # open, done
        ("due", "DATE"),
        ("assigned_at", "TIMESTAMP NOT NULL"),
        ("assigned_by", "BIGINT"),
        ("done_at", "TIMESTAMP"),
        ("last_event_id", "BIGINT NOT NULL"),
    ),
    primary_key=("ws_id", "pub_key", "assignee"),
    indexes=(("assignee", "state"),),
)

MONITOR_DOCUMENT_TAGS = Table(
    "monitor_document_tags",
    (
        ("ws_id", "BIGINT NOT NULL"),
        ("pub_key", "TEXT NOT NULL"),
        ("tag_id", "BIGINT NOT NULL"),
        ("tagged_by", "BIGINT"),
        ("tagged_at", "TIMESTAMP NOT NULL"),
    ),
    primary_key=("ws_id", "pub_key", "tag_id"),
    indexes=(("tag_id",),),
)

MONITOR_COMMENTS = Table(
    "monitor_comments",
    (
        ("comment_id", "BIGINT NOT NULL"),  # the id of the event that wrote it
        ("ws_id", "BIGINT NOT NULL"),
        ("pub_key", "TEXT NOT NULL"),
        ("author_id", "BIGINT"),
        ("text", "TEXT NOT NULL"),
        ("pinned", "BOOLEAN NOT NULL"),
        ("colour", "TEXT"),
        ("created_at", "TIMESTAMP NOT NULL"),
    ),
    primary_key=("comment_id",),
    indexes=(("ws_id", "pub_key"),),
)

MONITOR_MENTIONS = Table(
    "monitor_mentions",
    (
        ("comment_id", "BIGINT NOT NULL"),
        ("user_id", "BIGINT NOT NULL"),
        ("ws_id", "BIGINT NOT NULL"),
        ("pub_key", "TEXT NOT NULL"),
        ("mentioned_at", "TIMESTAMP NOT NULL"),
    ),
    primary_key=("comment_id", "user_id"),
    indexes=(("user_id",),),
)

MONITOR_STATE_TABLES = (
    MONITOR_DOCUMENTS,
    MONITOR_TASKS,
    MONITOR_DOCUMENT_TAGS,
    MONITOR_COMMENTS,
    MONITOR_MENTIONS,
)
MONITOR_TABLES = (
    MONITOR_USERS,
    MONITOR_TOKENS,
    MONITOR_PERMISSIONS,
    MONITOR_WORKSPACES,
    MONITOR_MEMBERS,
    MONITOR_TAG_CATEGORIES,
    MONITOR_TAGS,
    MONITOR_PROFILES,
    MONITOR_ROUTE_RUNS,
    MONITOR_EVENTS,
    MONITOR_WEBHOOKS,
    MONITOR_DELIVERIES,
    *MONITOR_STATE_TABLES,
)

# Tables holding one publication's details, replaced together with its publications row.
DETAIL_TABLES = (TEXTS, PARTIES, CLASSES, PRIORITIES, RELATED, CITATIONS, EVENTS, TAGS)
ALL_TABLES = (
    PUBLICATIONS,
    *DETAIL_TABLES,
    ATTACHMENTS,
    QUARANTINE,
    INGEST_LOG,
    META,
    *ENRICH_TABLES,
    GENAI_LABELS,
    GENAI_TAGS,
    CLASS_TITLES,
    *SEARCH_TABLES,
    *MONITOR_TABLES,
)

# -- the family fact table and its child tables (enrich/facts.py): what the landscape reads -----------------
# One row per family in ``family_facts`` under an integer ``family_key`` (a 63-bit digest of ``family_id``:
# the same in a full and an incremental build, on every backend); the child tables repeat both year columns,
# so that a year condition or a per-year count needs no join. Kept up to date by ``patscape enrich`` and
# ``patscape classify`` for the families a batch touched; ``enriched_publications`` is the ingest state they
# cover (each publication's content hash when it was last enriched).

_FACT_YEARS = (("priority_year", "INTEGER"), ("publication_year", "INTEGER"))
QUALITY_BASES = ("priority", "publication")  # the year bases on which quality cohorts are formed
QUALITY_COMPONENTS = ("forward5", "family_size", "claims", "generality", "backward", "grant_lag_days")
_SCORES = tuple(
    column
    for basis in QUALITY_BASES
    for column in (
        (f"{basis}_cohort_field", "TEXT"),
        *((f"{basis}_{c}_score", "DOUBLE PRECISION") for c in QUALITY_COMPONENTS),
        (f"{basis}_index4", "DOUBLE PRECISION"),
        (f"{basis}_index6", "DOUBLE PRECISION"),
        (f"{basis}_breakthrough", "BOOLEAN"),
    )
)

FAMILY_FACTS = Table(
    "family_facts",
    (
        ("family_key", "BIGINT NOT NULL"),
        ("family_id", "TEXT NOT NULL"),
        ("family_type", "TEXT"),
        ("earliest_priority", "DATE"),
        *_FACT_YEARS[:1],
        ("earliest_publication", "DATE"),
        *_FACT_YEARS[1:],
        ("latest_publication", "DATE"),  # of any member: the data's reference date is the latest of these
        ("first_filing_office", "TEXT"),
        ("granted", "BOOLEAN"),
        ("member_count", "INTEGER"),
        ("office_count", "INTEGER"),
        ("ip5_offices", "INTEGER"),  # of CN, EP, JP, KR, US publishing a member (enrich/offices.py)
        ("triadic", "BOOLEAN"),  # EP, JP and US all publish a member
        # countries on each basis (0: not placed on it); a family's weight there is 1 / n
        ("inventor_countries", "INTEGER"),
        ("applicant_countries", "INTEGER"),
        ("office_countries", "INTEGER"),
        ("member_countries", "INTEGER"),
        ("owner_count", "INTEGER"),
        ("genai", "BOOLEAN"),  # a member labelled generative AI (by any method)
        ("genai_score", "DOUBLE PRECISION"),  # the highest score of a member's label
        # raw quality indicators (enrich/quality.py), then the cohort scores on each year basis
        ("field", "TEXT"),
        ("claims", "INTEGER"),
        ("scope", "INTEGER"),
        ("backward", "INTEGER"),
        ("npl", "INTEGER"),
        ("forward5", "INTEGER"),
        ("forward_all", "INTEGER"),
        ("grant_lag_days", "INTEGER"),
        ("originality", "DOUBLE PRECISION"),
        ("generality", "DOUBLE PRECISION"),
        *_SCORES,
    ),
)

# the family's figures that quality by country and by owner average, repeated so that they need no join
_FACT_QUALITY = (
    ("granted", "BOOLEAN"),
    ("forward5", "INTEGER"),
    ("family_size", "INTEGER"),
    *((f"{basis}_index6", "DOUBLE PRECISION") for basis in QUALITY_BASES),
)

FAMILY_FACT_COUNTRIES = Table(
    "family_fact_countries",
    (
        ("family_key", "BIGINT NOT NULL"),
        ("basis", "TEXT NOT NULL"),
        ("country", "TEXT NOT NULL"),
        ("weight", "DOUBLE PRECISION"),
        *_FACT_YEARS,
        *_FACT_QUALITY,
    ),
)

FAMILY_FACT_OWNERS = Table(
    "family_fact_owners",
    (
        ("family_key", "BIGINT NOT NULL"),
        ("group_id", "TEXT NOT NULL"),
        ("weight", "DOUBLE PRECISION"),
        *_FACT_YEARS,
        *_FACT_QUALITY,
    ),
)

# dimension: model, mode, application (genai_tags), genai (tag "yes": a member labelled generative AI by
# ``method``) or source (the ingested ``tags``, method "source")
FAMILY_FACT_TAGS = Table(
    "family_fact_tags",
    (
        ("family_key", "BIGINT NOT NULL"),
        ("dimension", "TEXT NOT NULL"),
        ("tag", "TEXT NOT NULL"),
        ("method", "TEXT NOT NULL"),
        *_FACT_YEARS,
    ),
)

# the sources of each family's members (``reader: folder`` of each publication, ``enrich/facts.py``
# ``source_name``): the landscape's source composition per year reads it instead of joining publications and
# members on their string keys. Written by a full build of the facts (and kept by later incremental ones);
# not in ``ALL_TABLES``: a store enriched before it existed has none, and the landscape then reads the
# publications, until the next full enrichment
FAMILY_FACT_SOURCES = Table(
    "family_fact_sources",
    (("family_key", "BIGINT NOT NULL"), ("source", "TEXT NOT NULL"), *_FACT_YEARS),
)

# per year basis and (year, field) of the families (-1 and '' for none), the count of each value of each
# component of the quality scores in ``family_facts`` (and of the families: component '#', value 0): the
# cohorts' percentiles follow from them, and an incremental refresh updates them by the rows it rewrites
# instead of counting the whole table (``enrich/rescore.py``). Written by a full build of the facts, like
# ``family_fact_sources``: a store enriched before it existed gets it at its next refresh
FAMILY_FACT_COUNTS = Table(
    "family_fact_counts",
    (
        ("basis", "TEXT NOT NULL"),
        ("year", "INTEGER NOT NULL"),
        ("field", "TEXT NOT NULL"),
        ("component", "TEXT NOT NULL"),
        ("value", "DOUBLE PRECISION NOT NULL"),
        ("n", "BIGINT NOT NULL"),
    ),
)

# one name and country per owner group (the smallest of its names and countries, as every backend sorts them)
OWNER_FACTS = Table(
    "owner_facts",
    (("group_id", "TEXT NOT NULL"), ("group_name", "TEXT"), ("country", "TEXT"), ("families", "BIGINT")),
)

# which publications the enrichment has seen, and the link keys (filings, stated DOCDB families) that join
# them into families: an incremental run starts from the publications whose hash differs
ENRICHED_PUBLICATIONS = Table(
    "enriched_publications", (("pub_key", "TEXT NOT NULL"), ("content_hash", "TEXT NOT NULL"))
)
FAMILY_LINKS = Table("family_links", (("pub_key", "TEXT NOT NULL"), ("link", "TEXT NOT NULL")))

FACT_TABLES = (FAMILY_FACTS, FAMILY_FACT_COUNTRIES, FAMILY_FACT_OWNERS, FAMILY_FACT_TAGS, OWNER_FACTS)
ALL_TABLES = (*ALL_TABLES, *FACT_TABLES, ENRICHED_PUBLICATIONS, FAMILY_LINKS)
SEARCHED_TEXT_KINDS = ("title", "abstract", "claims")
