"""Which state of the ingested data each derived step covers, and what a command needs before it can answer.

The ingested data have a *generation* (``patscape_meta.ingest_generation``): every ingest that stores or
replaces a publication raises it by one, in the transaction of its first such batch. Each derived step records
the generation it read when it ran (``patscape_meta.covers:<step>``):

- ``enrich``: families, country attribution, owner groups (``patscape enrich``);
- ``classify``: the generative-AI labels and tags (``patscape classify``);
- ``search_index``: DuckDB's full-text index (``patscape ingest``, or ``patscape enrich``).

A step is *fresh* when it covers the current generation, *stale* when it covers an older one and *missing*
when it never ran. Commands that read derived tables call :func:`require`, which stops with a message naming
the command to run: a read command opens the store read-only and cannot bring it up to date itself.

A store written before generations were recorded has none: its steps count as fresh when their tables hold
rows, as missing otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from patscape.store.target import StoreError


class MetaStore(Protocol):
    """What this module reads and writes of a store: ``store.base.Store`` is one. A protocol rather than
    ``Store`` itself, which reports its search index's coverage from here: the imports go one way."""

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def has_table(self, name: str) -> bool: ...

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any: ...


GENERATION_KEY = "ingest_generation"
State = Literal["fresh", "stale", "missing"]


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    command: str  # the command that brings the step up to date
    what: str  # what it builds, for messages
    table: str  # a table that holds rows once it ran (judges stores without generations)


ENRICH = Step("enrich", "patscape enrich", "families, country attribution and owner groups", "families")
CLASSIFY = Step("classify", "patscape classify", "generative-AI labels and tags", "genai_labels")
SEARCH_INDEX = Step("search_index", "patscape enrich", "the full-text index", "search_documents")
STEPS = (ENRICH, CLASSIFY, SEARCH_INDEX)


class NeedsUpdate(StoreError):
    """A derived step is missing or older than the data; the message names the command to run."""

    def __init__(self, message: str, coverage: list[Coverage]) -> None:
        super().__init__(message)
        self.coverage = coverage


@dataclass(frozen=True, slots=True)
class Coverage:
    step: Step
    generation: int  # of the data (0: nothing ingested, or a store without generations)
    covered: int | None  # the generation the step read; None: it never ran

    @property
    def state(self) -> State:
        if self.covered is None:
            return "missing"
        return "fresh" if self.covered >= self.generation else "stale"

    def describe(self) -> str:
        if self.state == "missing":
            return f"{self.step.what} (not built yet)"
        if self.state == "stale":
            return (
                f"{self.step.what} (built for ingest generation {self.covered}, older than the data "
                f"at generation {self.generation})"
            )
        return f"{self.step.what} (up to date: generation {self.generation})"

    def as_dict(self) -> dict[str, object]:
        return {
            "step": self.step.name,
            "state": self.state,
            "generation": self.generation,
            "covered": self.covered,
            "command": self.step.command,
        }


def _key(step: Step) -> str:
    return f"covers:{step.name}"


def _meta(store: MetaStore, key: str) -> str | None:
    # a landscape copy of a store (landscape.backends.copy_duckdb_to_postgres) has no patscape_meta
    return store.meta(key) if store.has_table("patscape_meta") else None


def generation(store: MetaStore) -> int:
    """The generation of the ingested data (0 before the first ingest that stored anything)."""
    value = _meta(store, GENERATION_KEY)
    return int(value) if value is not None else 0


def bump_generation(store: MetaStore) -> int:
    """Raise the data's generation by one (inside the caller's transaction); returns the new one."""
    new = generation(store) + 1
    store.set_meta(GENERATION_KEY, str(new))
    return new


def mark_covered(store: MetaStore, step: Step, covered: int) -> None:
    """Record that ``step`` ran over the data of generation ``covered`` (read before it started)."""
    store.set_meta(_key(step), str(covered))


def coverage(store: MetaStore, step: Step) -> Coverage:
    recorded = _meta(store, _key(step))
    if _meta(store, GENERATION_KEY) is None:  # a store from before generations: judged by its tables
        built = (
            store.has_table(step.table)
            and bool(store.scalar(f"SELECT count(*) FROM {step.table}"))
            and _meta(store, step.name) != "stale"  # the search index's own flag, before generations
        )
        return Coverage(step, 0, 0 if built or recorded is not None else None)
    return Coverage(step, generation(store), int(recorded) if recorded is not None else None)


def require(store: MetaStore, steps: tuple[Step, ...], *, db: str, purpose: str) -> list[Coverage]:
    """Stop with :class:`NeedsUpdate` unless every step is fresh; ``purpose`` says what needs them
    (``patscape landscape``, ``--genai``). Returns the coverages (all fresh)."""
    if not store.has_table("publications") or not store.scalar("SELECT count(*) FROM publications"):
        raise NeedsUpdate(
            f"{purpose}: no publications in {db}: ingest some first with `patscape ingest --db {db} FILES…`",
            [],
        )
    found = [coverage(store, step) for step in steps]
    behind = [c for c in found if c.state != "fresh"]
    if behind:
        commands = list(dict.fromkeys(f"`{c.step.command} --db {db}`" for c in behind))
        raise NeedsUpdate(
            f"{purpose} needs {' and '.join(c.describe() for c in behind)}: run {' then '.join(commands)}",
            found,
        )
    return found
