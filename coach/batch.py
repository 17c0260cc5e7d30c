"""`coach batch`: score a CSV of replies as a stream, one output row per input row, never losing one.

Rows are read, analysed (spaCy `nlp.pipe`) and written in chunks, so memory stays flat however long
the file is, and results are on disk as they are made.

What a careless export cannot break (see read_records):
- every input record gives exactly one output row, in order; a record that cannot be scored as it
  is (more fields than the header: an unquoted comma; a quote left open; broken CSV) is written
  with its text kept and the reason in `coach_error`, never dropped and never stopping the run;
- bytes that are not UTF-8 are decoded with replacement (the row is scored, and `coach_error`
  says how many bytes were replaced); NUL bytes are dropped; both are counted in the summary;
- the scores go into namespaced columns (`coach_overall`, `coach_tone`, ..., `coach_findings`,
  `coach_error`), so input columns named `overall` or `error` are kept as they were.

Resuming: `OUT.state.json` records a fingerprint of the input (its bytes, the columns and the
audience). Re-running the same command after an interruption resumes after the last complete row
of OUT (a torn last row, from a crash or a full disk, is cut off first and scored again); a run
for a different input is refused (or, with restart=True, OUT is started afresh).
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from coach.analyzers import REGISTRY
from coach.engine import BatchItem, analyze_stream
from coach.errors import InputError

CHUNK_ROWS = 256
RESULT_KEYS = ("overall", *REGISTRY, "grade", "words", "findings", "error")
PREFIX = "coach_"
STATE_VERSION = 1
_BOM = b"\xef\xbb\xbf"
_LONE_CR = re.compile(rb"(?<=\r)(?!\n)(?=.)", re.S)
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long HTML e-mails exceed csv's 128 KiB default


@dataclass
class ReadStats:
    """What reading the input had to repair, for the summary."""

    malformed: int = 0
    undecodable_rows: int = 0
    replaced_bytes: int = 0
    nul_bytes: int = 0


@dataclass(frozen=True)
class Record:
    """One input record: its fields (as many as the header has), and why it cannot be scored as
    it is (`problem`), or a note about what was repaired (`note`)."""

    fields: list[str]
    problem: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class BatchSummary:
    rows: int
    scored: int
    errors: int
    resumed_from: int
    out: Path
    stats: ReadStats = field(default_factory=ReadStats)

    def __str__(self) -> str:
        resumed = f" (resumed after row {self.resumed_from})" if self.resumed_from else ""
        repairs = []
        if self.stats.malformed:
            repairs.append(f"{self.stats.malformed} malformed row(s) kept unscored")
        if self.stats.undecodable_rows:
            repairs.append(f"{self.stats.replaced_bytes} undecodable byte(s) replaced with \ufffd in "
                           f"{self.stats.undecodable_rows} row(s)")
        if self.stats.nul_bytes:
            repairs.append(f"{self.stats.nul_bytes} NUL byte(s) dropped")
        repaired = f"; {'; '.join(repairs)}" if repairs else ""
        return (f"Scored {self.scored} of {self.rows} rows, {self.errors} with errors{resumed}{repaired} "
                f"-> {self.out}")


def output_names(fieldnames: list[str]) -> dict[str, str]:
    """The output column of each result: `coach_<name>`, with more underscores should the input
    already have such a column, so no input column is ever overwritten."""
    prefix = PREFIX
    while any(prefix + key in fieldnames for key in RESULT_KEYS):
        prefix += "_"
    return {key: prefix + key for key in RESULT_KEYS}


def result_columns(item: BatchItem) -> dict[str, object]:
    """The results of one analysed row, by result key (see output_names for the column names)."""
    if item.report is None:
        return {key: "" for key in RESULT_KEYS} | {"error": item.error}
    report = item.report
    row: dict[str, object] = {"overall": report.overall}
    row.update({name: ("" if score is None else score) for name, score in report.scores.items()})
    row["grade"] = report.metrics.get("grade", "")
    row["words"] = report.metrics.get("words", "")
    row["findings"] = json.dumps([f.to_dict() for f in report.findings], ensure_ascii=False)
    row["error"] = ""
    return row


def score_rows(rows: list[tuple[str | None, str | None]], audience: str | None) -> list[dict[str, object]]:
    """Analyse one chunk of (reply, customer message) pairs (runs in a worker process)."""
    return [result_columns(item) for item in analyze_stream(rows, audience=audience)]


# --- reading a careless CSV export -------------------------------------------------------------

class _Lines:
    """The file's lines as text, one at a time, with what csv.reader consumed since the last record.

    Each line is decoded on its own (UTF-8; with replacement when it is not), so one bad byte
    affects one row; NULs are dropped; a lone CR ends a line too (old Mac exports). Lines can be
    pushed back to be read again."""

    def __init__(self, handle, stats: ReadStats) -> None:
        self._handle = handle
        self._stats = stats
        self._first = True
        self._raw: list[bytes] = []  # the rest of a file line cut at lone CRs, in reverse
        self.pushed: list[str] = []
        self.consumed: list[str] = []
        self.replaced = 0  # bytes replaced since the last record

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pushed:
            line = self.pushed.pop()
        else:
            if not self._raw:
                self._raw = _LONE_CR.split(next(self._handle))[::-1]
            line = self._decode(self._raw.pop())
        self.consumed.append(line)
        return line

    def _decode(self, raw: bytes) -> str:
        if self._first:
            raw, self._first = raw.removeprefix(_BOM), False
        if b"\x00" in raw:
            self._stats.nul_bytes += raw.count(b"\x00")
            raw = raw.replace(b"\x00", b"")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
            self.replaced += text.count("\ufffd") - raw.count("\ufffd".encode())
            return text

    def take(self) -> tuple[str, int]:
        """The raw text of the record just read and its replaced bytes; starts the next record."""
        raw, replaced = "".join(self.consumed), self.replaced
        self.consumed, self.replaced = [], 0
        return raw, replaced


def _reader(lines: _Lines):
    return csv.reader(lines, strict=True)


def read_records(handle, stats: ReadStats, join_into: str | None = None) -> tuple[list[str], Iterator[Record]]:
    """The header and the records of a CSV opened in binary. Blank lines are not records.

    A record with more fields than the header keeps them all: the extra ones are joined (with the
    commas that split them) into the column `join_into` (the reply's: replies hold commas, ids do
    not), or the last column."""
    lines = _Lines(handle, stats)
    reader = _reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        return [], iter(())
    except csv.Error as exc:
        raise InputError(f"The CSV header cannot be read ({exc}).") from None
    lines.take()
    width = len(header)
    at = header.index(join_into) if join_into in header else width - 1

    def records() -> Iterator[Record]:
        nonlocal reader
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raw, replaced = lines.take()
                first, *rest = raw.splitlines(keepends=True) or [""]
                # An open quote runs to the end of the file: keep its first line as one broken row,
                # and read the lines after it again as rows of their own.
                lines.pushed.extend(reversed(rest))
                reader = _reader(lines)
                stats.malformed += 1
                yield Record([first.rstrip("\r\n")] + [""] * (width - 1),
                             problem=f"not valid CSV ({exc}); the line is kept in the first column")
                continue
            raw, replaced = lines.take()
            if not fields:
                continue
            note = None
            if replaced:
                stats.undecodable_rows += 1
                stats.replaced_bytes += replaced
                note = f"{replaced} byte(s) were not UTF-8 and were replaced with \ufffd"
            if len(fields) > width:
                stats.malformed += 1
                extra = len(fields) - width
                joined = fields[:at] + [",".join(fields[at:at + extra + 1])] + fields[at + extra + 1:]
                yield Record(joined, note=note,
                             problem=f"this row has {len(fields)} fields but the header has {width} (an unquoted "
                                     f"comma?); not scored: the extra fields were joined into {header[at]!r}")
                continue
            yield Record(fields + [""] * (width - len(fields)), note=note)

    return header, records()


# --- resuming ------------------------------------------------------------------------------------

def _state_path(out: Path) -> Path:
    return out.with_name(out.name + ".state.json")


def fingerprint(path: Path, text_column: str, customer_column: str | None, audience: str | None) -> dict:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"version": STATE_VERSION, "input_sha256": digest.hexdigest(), "text_column": text_column,
            "customer_column": customer_column, "audience": audience, "columns": list(RESULT_KEYS)}


def _complete_rows(out: Path, header: list[str]) -> tuple[int, int]:
    """(rows, bytes) of `out` that are whole: the header and every complete row after it. A torn
    last row (cut mid-write) is not counted, so it is cut off and written again."""
    good_rows, good_bytes = -1, 0
    with open(out, "rb") as handle:
        offset = 0
        pending: list[bytes] = []

        def raw_lines() -> Iterator[str]:
            for raw in handle:
                pending.append(raw)
                yield raw.decode("utf-8", errors="replace")

        reader = csv.reader(raw_lines(), strict=True)
        while True:
            try:
                fields = next(reader)
            except (StopIteration, csv.Error):
                break
            size = sum(len(raw) for raw in pending)
            whole = pending[-1].endswith(b"\r\n") and (len(fields) == len(header) if good_rows >= 0
                                                       else fields == header)
            pending.clear()
            if not whole:
                break
            offset += size
            good_rows, good_bytes = good_rows + 1, offset
    return good_rows, good_bytes


def _resume_point(out: Path, header: list[str], state: dict, restart: bool) -> int:
    """Rows of `out` already done for this input (0: start afresh), after cutting off a torn row."""
    state_file = _state_path(out)
    if out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name such as {out / 'scored.csv'}.")
    if restart or not out.exists():
        return 0
    try:
        previous = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = None
    if previous != state:
        raise InputError(f"{out} already exists and holds the results of another input (or settings). Give "
                         "another --out, or add --restart to score this input from the first row into it.")
    rows, size = _complete_rows(out, header)
    if rows < 0:
        return 0
    with open(out, "r+b") as handle:
        handle.truncate(size)
    return rows


# --- running -------------------------------------------------------------------------------------

def _chunks(records: Iterator[Record], skip: int, text_index: int, customer_index: int | None
            ) -> Iterator[tuple[list[Record], list[tuple[str | None, str | None]]]]:
    chunk: list[Record] = []
    for index, record in enumerate(records):
        if index < skip:
            continue
        chunk.append(record)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk, _pairs(chunk, text_index, customer_index)
            chunk = []
    if chunk:
        yield chunk, _pairs(chunk, text_index, customer_index)


def _pairs(chunk: list[Record], text_index: int, customer_index: int | None) -> list[tuple[str | None, str | None]]:
    # A malformed record is not analysed: its text (None) becomes an error row of its own below.
    return [(None, None) if r.problem else
            (r.fields[text_index], r.fields[customer_index] if customer_index is not None else None)
            for r in chunk]


def _open_input(path: Path):
    if path.is_dir():
        raise InputError(f"{path} is a folder: give a CSV file (or --scheduler for a folder of files).")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror}).") from None


def _count_records(path: Path) -> int:
    with open(path, "rb") as handle:
        _, records = read_records(handle, ReadStats())
        return sum(1 for _ in records)


def score_csv(path: Path, out: Path, text_column: str, customer_column: str | None = None,
              audience: str | None = None, progress: bool = True, workers: int = 1,
              restart: bool = False) -> BatchSummary:
    """Score every row of `path` into `out`; resumes when `out` holds a previous partial run of the
    same input (see the module's docstring)."""
    if out.exists() and path.exists() and out.resolve() == path.resolve():
        raise InputError(f"--out {out} is the input file itself; give another file name.")
    stats = ReadStats()
    with _open_input(path) as handle:
        fieldnames, records = read_records(handle, stats, join_into=text_column)
        if not fieldnames:
            raise InputError(f"{path} is empty: expected a CSV header row.")
        for column in (text_column, customer_column):
            if column and column not in fieldnames:
                raise InputError(f"{path} has no column {column!r}; its columns are: {', '.join(fieldnames)}.")
        names = output_names(fieldnames)
        header = fieldnames + list(names.values())
        state = fingerprint(path, text_column, customer_column, audience)
        done = _resume_point(out, header, state, restart)
        total = _count_records(path)
        from tqdm import tqdm

        bar = tqdm(total=total, initial=done, unit="reply", disable=not progress, file=sys.stderr)
        scored = errors = 0
        try:
            out_handle = open(out, "a" if done else "w", encoding="utf-8", newline="")
            _state_path(out).write_text(json.dumps(state), encoding="utf-8")
        except OSError as exc:
            raise InputError(f"Cannot write {out} ({exc.strerror}).") from None
        text_index = fieldnames.index(text_column)
        customer_index = fieldnames.index(customer_column) if customer_column else None
        with out_handle:
            writer = csv.writer(out_handle, lineterminator="\r\n")
            if not done:
                writer.writerow(header)
            for chunk, results in _scored_chunks(_chunks(records, done, text_index, customer_index),
                                                 audience, workers):
                for record, result in zip(chunk, results):
                    if record.problem:
                        result = {key: "" for key in RESULT_KEYS} | {"error": record.problem}
                    elif record.note:
                        result = result | {"error": "; ".join(filter(None, (result["error"], record.note)))}
                    writer.writerow(record.fields + [result[key] for key in RESULT_KEYS])
                    unscored = result["overall"] in ("", None) and bool(result["error"])
                    errors += unscored
                    scored += not unscored
                out_handle.flush()  # a finished chunk is on disk before the next starts
                bar.update(len(chunk))
        bar.close()
    return BatchSummary(rows=total, scored=scored, errors=errors, resumed_from=done, out=out, stats=stats)


def _ignore_interrupts() -> None:
    # Ctrl-C reaches every process of the terminal's group: the main process stops the run (and
    # the workers) and says so in one line; a worker must not print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _scored_chunks(chunks, audience: str | None, workers: int):
    if workers <= 1:
        for rows, pairs in chunks:
            yield rows, score_rows(pairs, audience)
        return
    # Bounded look-ahead: at most 2 chunks per worker in flight, so memory stays flat.
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    try:
        pending: list[tuple[list[Record], Future]] = []
        for rows, pairs in chunks:
            pending.append((rows, pool.submit(score_rows, pairs, audience)))
            if len(pending) >= 2 * workers:
                rows_done, future = pending.pop(0)
                yield rows_done, future.result()
        for rows_done, future in pending:
            yield rows_done, future.result()
    except BaseException:
        # Interrupted (or failed): stop now rather than finish the chunks in flight; what was
        # written is complete rows, and the next run resumes after them.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
