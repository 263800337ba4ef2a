"""Benchmark of `patscape ingest` on a weekly-style USPTO grant file, against a bare lxml pass.

The file is built from the real ``us-patent-grant`` documents of ``data/patentsview_db_fixtures`` (slices
of weekly ``ipgYYMMDD.xml`` files), repeated under new publication numbers until it reaches the requested
size: in copy ``i`` only the ``<doc-number>`` of the ``<publication-reference>`` changes (to the series
prefix + ``9·10^(n-1) + i``, e.g. ``90000001`` or ``D9000001``), every other byte is the real document. The
``sequence-cwu`` documents that follow their grant in a weekly file follow it in every copy, renumbered to
the copy's number.

Then, on the same bytes and in one run:

- baseline: a bare ``lxml.etree.iterparse`` pass over every document (streamed split on ``<?xml``,
  one iterparse per document over ``BytesIO``, elements cleared as they end, no DTD, no network);
- ``patscape ingest FILE --db <temp duckdb> -q --json --no-index`` as a subprocess (default workers, and
  with ``--also-serial`` also ``--workers 0``), with its summary checked against what was written;
- the full-text index ``patscape ingest --index`` builds at its end (``build_search_index``), timed apart in
  a subprocess of its own, so that the ingest figures stay comparable with the baseline and earlier runs.

Each run is a subprocess whose RSS is polled every 50 ms (the process and all its children summed, and
the main process alone).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = "patentsview_db_fixtures"
MB = 1_000_000
BLOCK = 8 * 1024 * 1024
POLL_SECONDS = 0.05
TARGET_RATIO = 0.5
TARGET_RSS_MB = 400.0

_DECL = b"<?xml "
_DECL_SPLIT_RE = re.compile(rb"(?=<\?xml )")
_ROOT_RE = re.compile(rb"<(us-patent-grant|us-patent-application|sequence-cwu|[A-Za-z][\w.-]*)[\s>/]")
# The publication's own number: the first <publication-reference> of a grant or sequence listing.
_PUB_NUMBER_RE = re.compile(rb"<publication-reference[\s>].*?<doc-number>([^<]*)</doc-number>", re.DOTALL)
_SERIES_RE = re.compile(r"([A-Z]*)(\d+)")


# -- building the file ---------------------------------------------------------------------------


@dataclass(slots=True)
class Doc:
    """One real document, cut around the digits of its own publication number."""

    number: str  # the real publication number (``06982156``, ``D0651432``)
    grant: bool  # us-patent-grant (else a sequence-cwu listing)
    head: bytes  # everything up to the number's digits (series prefix such as ``D`` included)
    tail: bytes  # everything after them
    digits: int  # how many digits the number has

    @classmethod
    def cut(cls, data: bytes, grant: bool, source: str) -> Doc:
        m = _PUB_NUMBER_RE.search(data)
        if m is None:
            raise ValueError(f"{source}: a document without publication-reference/doc-number")
        number = m.group(1).decode()
        series = _SERIES_RE.fullmatch(number)
        if series is None:
            raise ValueError(f"{source}: unexpected publication number {number!r}")
        start = m.start(1) + len(series.group(1))
        return cls(number, grant, data[:start], data[m.end(1) :], len(series.group(2)))

    def copy(self, serial: int) -> bytes:
        """The document under the number ``<series prefix>9·10^(digits-1) + serial``."""
        new = 9 * 10 ** (self.digits - 1) + serial
        if len(str(new)) != self.digits:
            raise ValueError(f"too many copies for {self.digits}-digit numbers (copy {serial})")
        return self.head + str(new).encode() + self.tail


@dataclass(slots=True)
class BuiltFile:
    path: str
    bytes: int
    documents: int
    grants: int
    sequences: int
    real_grants: int
    real_sequences: int
    source_files: int
    seconds: float
    how: str = ""


def shared_data_dir() -> Path:
    shared = Path(os.environ.get("PATSCAPE_SHARED", ROOT.parent / "shared"))
    return shared / "data"


def split_documents(data: bytes) -> Iterator[bytes]:
    for part in _DECL_SPLIT_RE.split(data):
        if part.strip():
            yield part


def root_tag(doc: bytes) -> str:
    body = doc[doc.find(b"?>") + 2 :] if doc.startswith(_DECL) else doc
    body = re.sub(
        rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>|<!--.*?-->|<\?.*?\?>", b"", body, count=3, flags=re.DOTALL
    )
    m = _ROOT_RE.search(body)
    return m.group(1).decode() if m else ""


def load_documents(folder: Path) -> tuple[list[Doc], int]:
    """The distinct real grants and sequence listings of ``folder``, in file order.

    A grant is kept at its first occurrence (the fixture files overlap); a listing whose grant is kept
    goes right after that grant, as in a weekly file; a listing whose grant is not in the folder stays
    where it comes. Applications and pre-2005 documents are left out.
    """
    docs: list[Doc] = []
    seen_grants: set[str] = set()
    seen_listings: set[bytes] = set()
    files = sorted(folder.rglob("*.xml"))
    for path in files:
        source = str(path.relative_to(folder))
        for data in split_documents(path.read_bytes()):
            tag = root_tag(data)
            if tag == "us-patent-grant":
                doc = Doc.cut(data, True, source)
                if doc.number not in seen_grants:
                    seen_grants.add(doc.number)
                    docs.append(doc)
            elif tag == "sequence-cwu" and data not in seen_listings:
                seen_listings.add(data)
                docs.append(Doc.cut(data, False, source))
    listings: dict[str, list[Doc]] = {}
    for doc in docs:
        if not doc.grant and doc.number in seen_grants:
            listings.setdefault(doc.number, []).append(doc)
    ordered: list[Doc] = []
    for doc in docs:
        if doc.grant:
            ordered += [doc, *listings.get(doc.number, ())]
        elif doc.number not in seen_grants:
            ordered.append(doc)
    return ordered, len(files)


def _rounds(docs: list[Doc], index: dict[str, int]) -> Iterator[tuple[Doc, int]]:
    for round_ in itertools.count():
        for doc in docs:
            yield doc, round_ * len(index) + index[doc.number]


def build_file(path: Path, folder: Path, size_bytes: int) -> BuiltFile:
    """Write rounds of the real documents, renumbered, until the file has at least ``size_bytes``.

    In round ``r`` the document of the k-th distinct real number gets serial ``r·K + k`` (K distinct
    numbers), so a listing keeps the number of its grant and every publication number is new and unique.
    """
    started = time.perf_counter()
    docs, source_files = load_documents(folder)
    if not any(doc.grant for doc in docs):
        raise SystemExit(f"error: no us-patent-grant documents found in {folder}")
    index = {number: k for k, number in enumerate(dict.fromkeys(doc.number for doc in docs))}
    written = grants = sequences = 0
    with path.open("wb", buffering=BLOCK) as out:
        for doc, serial in _rounds(docs, index):
            if doc.grant and written >= size_bytes:  # a grant's listings are never cut off from it
                break
            data = doc.copy(serial)
            out.write(data)
            written += len(data)
            grants += doc.grant
            sequences += not doc.grant
    real_grants = sum(doc.grant for doc in docs)
    built = BuiltFile(
        path=str(path),
        bytes=written,
        documents=grants + sequences,
        grants=grants,
        sequences=sequences,
        real_grants=real_grants,
        real_sequences=len(docs) - real_grants,
        source_files=source_files,
        seconds=round(time.perf_counter() - started, 2),
    )
    built.how = (
        f"{grants:,} us-patent-grant and {sequences:,} sequence-cwu documents: rounds of the "
        f"{real_grants} distinct real grants and {len(docs) - real_grants} real sequence listings of "
        f"{source_files} files in {folder} (file order; a listing right after its grant when that grant is "
        "there), every copy under a new number: doc-number in publication-reference = series prefix + "
        f"9·10^(digits-1) + i (e.g. {9 * 10**7}+i, D{9 * 10**6}+i; a listing shares its grant's i); "
        "all other bytes identical to the real document"
    )
    return built


# -- the baseline: a bare lxml pass ---------------------------------------------------------------


def stream_documents(stream: BinaryIO, block: int = BLOCK) -> Iterator[bytes]:
    """Each ``<?xml``-started document of a stream, holding one block and one document at most."""
    buffer = b""
    while True:
        data = stream.read(block)
        buffer = buffer + data if buffer else data
        start = 0
        while (nxt := buffer.find(_DECL, start + 1)) >= 0:
            yield buffer[start:nxt]
            start = nxt
        buffer = buffer[start:]
        if not data:
            break
    if buffer.strip():
        yield buffer


def baseline_pass(path: str) -> dict[str, Any]:
    """Parse every document with iterparse, clearing elements as they end; the figures as a dict."""
    from lxml import etree

    documents = errors = 0
    started = time.perf_counter()
    with open(path, "rb") as stream:
        for doc in stream_documents(stream):
            try:
                for _event, el in etree.iterparse(
                    io.BytesIO(doc), events=("end",), load_dtd=False, no_network=True,
                    resolve_entities=False, huge_tree=True,
                ):  # fmt: skip
                    el.clear(keep_tail=True)
            except etree.XMLSyntaxError:
                errors += 1
            documents += 1
    return {
        "documents": documents,
        "errors": errors,
        "parse_seconds": round(time.perf_counter() - started, 3),
        "self_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB, 1),
    }


# -- running and measuring a subprocess -----------------------------------------------------------


@dataclass(slots=True)
class Measured:
    returncode: int
    wall: float
    peak_tree_mb: float
    peak_main_mb: float
    stdout: str
    stderr: str


def run_measured(cmd: list[str], workdir: Path) -> Measured:
    """Run ``cmd``, polling the RSS of its process tree every 50 ms."""
    import psutil

    out_path, err_path = workdir / "run.stdout", workdir / "run.stderr"
    peak_tree = peak_main = 0
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, start_new_session=True)
        try:
            main = psutil.Process(proc.pid)
            while proc.poll() is None:
                main_rss, tree = _rss(main)
                peak_main, peak_tree = max(peak_main, main_rss), max(peak_tree, tree)
                time.sleep(POLL_SECONDS)
        finally:
            if proc.poll() is None:  # interrupted: stop the run and its workers
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        wall = time.perf_counter() - started
    return Measured(
        returncode=proc.returncode,
        wall=wall,
        peak_tree_mb=peak_tree / MB,
        peak_main_mb=peak_main / MB,
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
    )


def _rss(main: Any) -> tuple[int, int]:
    """RSS of the main process, and of it plus all its descendants (0, 0 once it has gone)."""
    import psutil

    try:
        main_rss = tree = main.memory_info().rss
        for child in main.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                tree += child.memory_info().rss
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0, 0
    return main_rss, tree


def figures(label: str, built: BuiltFile, run: Measured, **extra: Any) -> dict[str, Any]:
    return {
        "label": label,
        "documents": built.documents,
        "mb": round(built.bytes / MB, 1),
        "wall_s": round(run.wall, 2),
        "docs_per_s": round(built.documents / run.wall, 1),
        "mb_per_s": round(built.bytes / MB / run.wall, 2),
        "peak_rss_tree_mb": round(run.peak_tree_mb, 1),
        "peak_rss_main_mb": round(run.peak_main_mb, 1),
        **extra,
    }


def run_baseline(built: BuiltFile, workdir: Path) -> dict[str, Any]:
    run = run_measured([sys.executable, __file__, "--baseline-worker", built.path], workdir)
    if run.returncode != 0:
        raise SystemExit(f"error: the baseline pass failed ({run.returncode}):\n{run.stderr}")
    inner = json.loads(run.stdout)
    if inner["documents"] != built.documents or inner["errors"]:
        raise SystemExit(
            f"error: the baseline parsed {inner['documents']:,} documents with {inner['errors']} errors, "
            f"{built.documents:,} were written"
        )
    return figures("lxml iterparse (baseline)", built, run, **inner)


def patscape_command(explicit: str | None) -> list[str]:
    if explicit:
        return explicit.split()
    script = Path(sys.executable).with_name("patscape")
    if not script.exists():
        raise SystemExit(f"error: no patscape console script at {script} (pip install -e . in this venv)")
    return [str(script)]


def run_patscape(built: BuiltFile, workdir: Path, command: list[str], workers: int | None) -> dict[str, Any]:
    db = workdir / f"bench-{'default' if workers is None else workers}.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    cmd = [*command, "ingest", built.path, "--db", str(db), "-q", "--json", "--no-index"]
    cmd += ["--no-search-index"]  # the parsing and storing measured here; the index: bench/search.py
    if workers is not None:
        cmd += ["--workers", str(workers)]
    run = run_measured(cmd, workdir)
    if run.returncode != 0:
        raise SystemExit(f"error: {' '.join(cmd)} exited with {run.returncode}:\n{run.stderr[-4000:]}")
    summary = json.loads(run.stdout)
    check_summary(summary, built)
    label = "patscape ingest (default workers)" if workers is None else f"patscape ingest --workers {workers}"
    result = figures(label, built, run, workers=workers or os.cpu_count(), summary=summary["total"])
    if workers is None:
        build = "import sys\nfrom patscape.store import open_store\n"
        build += "with open_store(sys.argv[1]) as s:\n    s.build_search_index()"
        index = run_measured([sys.executable, "-c", build, str(db)], workdir)
        if index.returncode != 0:
            raise SystemExit(f"error: building the full-text index failed:\n{index.stderr[-4000:]}")
        result["index"] = figures("full-text index (ingest --index)", built, index)
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    return result


def check_summary(summary: dict[str, Any], built: BuiltFile) -> None:
    """The ingest must store every grant written, attach every listing and reject nothing."""
    total = summary["total"]
    expected = {
        "read": built.grants,
        "stored": built.grants,
        "replaced": 0,
        "unchanged": 0,
        "rejected": 0,
        "attached": built.sequences,
    }
    wrong = {k: (total.get(k), v) for k, v in expected.items() if total.get(k) != v}
    if summary.get("unrecognised"):
        raise SystemExit(
            f"error: patscape did not recognise {summary['unrecognised']} "
            "(is the uspto-ice reader registered in sources/registry.py?)"
        )
    if wrong:
        details = ", ".join(f"{k}: got {got}, expected {want}" for k, (got, want) in wrong.items())
        raise SystemExit(f"error: the ingest summary does not match the file written: {details}\n{summary}")


# -- reporting -------------------------------------------------------------------------------------


def report_table(built: BuiltFile, rows: list[dict[str, Any]], verdict: dict[str, Any]) -> str:
    lines = [
        f"file: {built.path} ({built.bytes / MB:,.1f} MB, {built.documents:,} documents, built in "
        f"{built.seconds:.1f} s)",
        f"made of: {built.how}",
        "",
        f"{'run':<36}{'docs':>9}{'wall s':>9}{'docs/s':>9}{'MB/s':>8}{'peak RSS tree MB':>18}{'main MB':>9}",
    ]
    for r in rows:
        lines.append(
            f"{r['label']:<36}{r['documents']:>9,}{r['wall_s']:>9.2f}{r['docs_per_s']:>9,.0f}"
            f"{r['mb_per_s']:>8.1f}{r['peak_rss_tree_mb']:>18.1f}{r['peak_rss_main_mb']:>9.1f}"
        )
    lines.append("")
    for name, check in verdict.items():
        ok = "ok" if check["ok"] else "MISSED"
        lines.append(f"{name}: {check['value']} (target {check['target']}) {ok}")
    return "\n".join(lines)


def judge(baseline: dict[str, Any], main: dict[str, Any]) -> dict[str, Any]:
    ratio = main["mb_per_s"] / baseline["mb_per_s"]
    return {
        "throughput ratio patscape/baseline": {
            "value": round(ratio, 3),
            "target": f">= {TARGET_RATIO}",
            "ok": ratio >= TARGET_RATIO,
        },
        "patscape peak RSS (tree, MB)": {
            "value": main["peak_rss_tree_mb"],
            "target": f"< {TARGET_RSS_MB:.0f}",
            "ok": main["peak_rss_tree_mb"] < TARGET_RSS_MB,
        },
    }


# -- command line ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Benchmark `patscape ingest` on a weekly-style USPTO grant file built from the real grants of "
            f"data/{FIXTURES} renumbered, against a bare lxml iterparse pass over the same bytes."
        ),
        epilog=(
            "The data folder is $PATSCAPE_SHARED/data, or ../shared/data next to the repository. "
            "Targets: patscape throughput >= 0.5 x baseline, peak RSS of the process tree < 400 MB. "
            "Exit status: 0 done, 1 error or wrong ingest counts, 2 a target missed with --check."
        ),
    )
    parser.add_argument(
        "--size-mb",
        type=float,
        default=1000.0,
        help="size of the file to build, in MB of 10^6 bytes (default: 1000, i.e. 1 GB)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="folder for the file and the databases (default: a new temporary folder under /tmp)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the built file (and the temporary folder)")
    parser.add_argument("--also-serial", action="store_true", help="also run `patscape ingest --workers 0`")
    parser.add_argument(
        "--patscape",
        metavar="CMD",
        default=None,
        help="command to run instead of the patscape script next to this Python (split on spaces)",
    )
    parser.add_argument("--json", action="store_true", help="print only one JSON line with all figures")
    parser.add_argument("--check", action="store_true", help="exit with status 2 when a target is missed")
    parser.add_argument("--baseline-worker", metavar="FILE", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.baseline_worker:
        print(json.dumps(baseline_pass(args.baseline_worker)))
        return 0
    folder = shared_data_dir() / FIXTURES
    if not folder.is_dir():
        raise SystemExit(
            f"error: the real USPTO fixtures are missing: expected {folder} "
            "(set PATSCAPE_SHARED to the folder that holds data/)"
        )
    try:
        import psutil  # noqa: F401 - measuring needs it; fail before building a large file
    except ImportError:
        raise SystemExit("error: psutil is missing: pip install -e '.[dev]'") from None
    command = patscape_command(args.patscape)
    own_dir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="patscape-bench-", dir="/tmp")) if own_dir else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"ipg-bench-{args.size_mb:g}mb.xml"
    say = (lambda _msg: None) if args.json else (lambda msg: print(msg, file=sys.stderr, flush=True))
    load_before = os.getloadavg()
    if load_before[0] > 0.5:
        say(f"warning: load average {load_before[0]:.2f} before the run: other processes skew the figures")
    try:
        say(f"building {path} ({args.size_mb:g} MB) ...")
        built = build_file(path, folder, int(args.size_mb * MB))
        say("baseline: lxml iterparse ...")
        rows = [run_baseline(built, workdir)]
        say("patscape ingest (default workers) ...")
        rows.append(run_patscape(built, workdir, command, None))
        index_row = rows[-1].pop("index")
        if args.also_serial:
            say("patscape ingest --workers 0 ...")
            rows.append(run_patscape(built, workdir, command, 0))
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
            for name in ("run.stdout", "run.stderr"):
                (workdir / name).unlink(missing_ok=True)
            if own_dir:
                shutil.rmtree(workdir, ignore_errors=True)
    verdict = judge(rows[0], rows[1])
    rows.append(index_row)
    load = {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]}
    result = {
        "file": asdict(built),
        "runs": rows,
        "targets": verdict,
        "cpus": os.cpu_count(),
        "loadavg": load,
    }
    if not args.json:
        print(report_table(built, rows, verdict))
        print(
            f"cpus: {os.cpu_count()}, load average (1 min) before/after: {load_before[0]:.2f}/"
            f"{load['after'][0]:.2f}"
        )
    print(json.dumps(result))
    missed = not all(check["ok"] for check in verdict.values())
    return 2 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
