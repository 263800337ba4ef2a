"""Committing a job's output to the lake all at once, so that a job killed at any moment can be rerun.

A job writes everything into its run folder (``_runs/<run id>/``), then writes the plan of its commit
(``commit.json``: files to move into the tables, files to delete, whole tables to replace) in one rename, then
applies the plan. Every step of a plan can be applied again: a file already moved or deleted is skipped. So
the next job, before it starts, applies any plan it finds (the killed job had finished its work) and deletes
run folders without one (the killed job had not: its inputs are still missing from the manifest and are
read again).

Paths go through Hadoop's FileSystem API (the JVM's), so a lake may sit on a local or shared disk or on
HDFS: any file system where a rename is atomic.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import uuid
from dataclasses import dataclass, field
from typing import Any

RUNS = "_runs"
PLAN = "commit.json"
CRASH_ENV = "PATSCAPE_LAKE_CRASH"  # tests: kill the process at a named point (see crash_point)


class Crashed(BaseException):
    """A job stopped dead at a crash point (``PATSCAPE_LAKE_CRASH=stop:<point>``), inside the process."""


def crash_point(name: str) -> None:
    """Die here when the tests ask for it: SIGKILL (``<point>``), as a killed driver would, or, for tests
    that share one Spark session, an exception nothing catches (``stop:<point>``): no cleanup runs in
    either case, so the lake is left as a killed job leaves it."""
    asked = os.environ.get(CRASH_ENV)
    if asked == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if asked == f"stop:{name}":
        raise Crashed(name)


def new_run_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


class FileSystem:
    """The few file operations the lake needs, on Hadoop's FileSystem of the lake's root."""

    def __init__(self, spark: Any, root: str) -> None:
        jvm = self._jvm = spark.sparkContext._jvm
        self._Path = jvm.org.apache.hadoop.fs.Path
        root_path = self._Path(root)
        self._fs = root_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        self.root = str(self._fs.makeQualified(root_path).toString())

    def path(self, *parts: str) -> str:
        return "/".join((self.root.rstrip("/"), *(p.strip("/") for p in parts if p)))

    def exists(self, path: str) -> bool:
        return bool(self._fs.exists(self._Path(path)))

    def mkdirs(self, path: str) -> None:
        self._fs.mkdirs(self._Path(path))

    def delete(self, path: str) -> None:
        if self.exists(path):
            self._fs.delete(self._Path(path), True)

    def rename(self, source: str, target: str) -> None:
        parent = self._Path(target).getParent()
        if parent is not None:
            self._fs.mkdirs(parent)
        if not self._fs.rename(self._Path(source), self._Path(target)):
            raise OSError(f"could not rename {source} to {target}")

    def list(self, path: str) -> list[str]:
        """Names in a folder (empty when it does not exist)."""
        if not self.exists(path):
            return []
        return sorted(str(s.getPath().getName()) for s in self._fs.listStatus(self._Path(path)))

    def files(self, path: str, suffix: str = ".parquet") -> list[str]:
        """Files below a folder, recursively, as paths relative to it."""
        if not self.exists(path):
            return []
        base = str(self._fs.makeQualified(self._Path(path)).toString()).rstrip("/") + "/"
        found = self._fs.listFiles(self._Path(path), True)
        out = []
        while found.hasNext():
            name = str(found.next().getPath().toString())
            if name.endswith(suffix) and "/_" not in name[len(base) - 1 :]:
                out.append(name[len(base) :])
        return sorted(out)

    def write_text(self, path: str, text: str) -> None:
        """Write a small file atomically: to a temporary name, then renamed."""
        tmp = path + ".tmp"
        stream = self._fs.create(self._Path(tmp), True)
        try:
            stream.write(bytearray(text.encode()))
        finally:
            stream.close()
        self.delete(path)
        self.rename(tmp, path)

    def read_text(self, path: str) -> str:
        # read on the JVM's side: py4j hands Java a copy of a Python buffer, which read() fills in vain
        stream = self._fs.open(self._Path(path))
        try:
            return str(self._jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8"))
        finally:
            stream.close()


@dataclass(slots=True)
class Plan:
    """What a run changes in the lake, as paths relative to the lake's root."""

    run_id: str
    moves: list[tuple[str, str]] = field(default_factory=list)  # staged file -> its place in a table
    deletes: list[str] = field(default_factory=list)  # files of the tables that the run replaces
    tables: list[tuple[str, str]] = field(default_factory=list)  # staged folder -> whole table replaced

    def to_json(self) -> str:
        return json.dumps(
            {"run_id": self.run_id, "moves": self.moves, "deletes": self.deletes, "tables": self.tables}
        )

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        return cls(
            data["run_id"],
            [tuple(m) for m in data["moves"]],  # type: ignore[misc]
            list(data["deletes"]),
            [tuple(t) for t in data["tables"]],  # type: ignore[misc]
        )


class Runs:
    """The run folders of a lake: where jobs stage their output, and the commits that publish it."""

    def __init__(self, fs: FileSystem) -> None:
        self.fs = fs

    def folder(self, run_id: str) -> str:
        return self.fs.path(RUNS, run_id)

    def recover(self) -> list[str]:
        """Finish the commits of killed jobs that had written their plan; drop the other run folders."""
        done = []
        for run_id in self.fs.list(self.fs.path(RUNS)):
            plan_path = self.fs.path(RUNS, run_id, PLAN)
            if self.fs.exists(plan_path):
                self.apply(Plan.from_json(self.fs.read_text(plan_path)))
                done.append(run_id)
            else:
                self.fs.delete(self.folder(run_id))
        return done

    def commit(self, plan: Plan) -> None:
        crash_point("before-plan")
        self.fs.write_text(self.fs.path(RUNS, plan.run_id, PLAN), plan.to_json())
        crash_point("after-plan")
        self.apply(plan)

    def apply(self, plan: Plan) -> None:
        fs = self.fs
        for i, (staged, target) in enumerate(plan.moves):
            if fs.exists(fs.path(staged)):
                fs.rename(fs.path(staged), fs.path(target))
            if i == len(plan.moves) // 2:
                crash_point("mid-apply")
        for old in plan.deletes:
            fs.delete(fs.path(old))
        for staged, table in plan.tables:
            if fs.exists(fs.path(staged)):
                fs.delete(fs.path(table))
                fs.rename(fs.path(staged), fs.path(table))
        fs.delete(self.folder(plan.run_id))
