"""`coach batch`: score a CSV of replies as a stream, one output row per input row.

Rows are read, analysed (spaCy `nlp.pipe`) and written in chunks, so memory stays flat however long
the file is, and results are on disk as they are made: re-running the same command after an
interruption resumes after the last row written.
"""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from coach.analyzers import REGISTRY
from coach.engine import BatchItem, analyze_stream
from coach.errors import InputError

CHUNK_ROWS = 256
RESULT_COLUMNS = ("overall", *REGISTRY, "grade", "words", "findings", "error")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long HTML e-mails exceed csv's 128 KiB default


@dataclass(frozen=True)
class BatchSummary:
    rows: int
    scored: int
    errors: int
    resumed_from: int
    out: Path

    def __str__(self) -> str:
        resumed = f" (resumed after row {self.resumed_from})" if self.resumed_from else ""
        return f"Scored {self.scored} of {self.rows} rows, {self.errors} with errors{resumed} -> {self.out}"


def result_columns(item: BatchItem) -> dict[str, object]:
    """The output columns for one analysed row."""
    if item.report is None:
        return {column: "" for column in RESULT_COLUMNS} | {"error": item.error}
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


def _open_csv(path: Path) -> tuple[csv.DictReader, object]:
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(handle)
        reader.fieldnames  # reads the header now, so a bad file fails here
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not a UTF-8 CSV file.") from None
    except (OSError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read as CSV ({exc}).") from None
    if not reader.fieldnames:
        handle.close()
        raise InputError(f"{path} is empty: expected a CSV header row.")
    return reader, handle


def _count_rows(path: Path) -> int:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _rows_done(out: Path, header: list[str]) -> int:
    """Rows already in a previous run's output with the same header (0 when starting afresh)."""
    if not out.exists():
        return 0
    with open(out, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        if next(reader, None) != header:
            return 0
        return sum(1 for _ in reader)


def _chunks(reader: csv.DictReader, text_column: str, customer_column: str | None,
            skip: int) -> Iterator[tuple[list[dict[str, str]], list[tuple[str | None, str | None]]]]:
    chunk: list[dict[str, str]] = []
    try:
        for index, row in enumerate(reader):
            if index < skip:
                continue
            chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                yield chunk, [(r.get(text_column), r.get(customer_column) if customer_column else None) for r in chunk]
                chunk = []
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"The CSV is malformed after row {index + 1}: {exc}") from None
    if chunk:
        yield chunk, [(r.get(text_column), r.get(customer_column) if customer_column else None) for r in chunk]


def score_csv(path: Path, out: Path, text_column: str, customer_column: str | None = None,
              audience: str | None = None, progress: bool = True, workers: int = 1) -> BatchSummary:
    """Score every row of `path` into `out`; resumes when `out` holds a previous partial run."""
    reader, handle = _open_csv(path)
    with handle:
        fieldnames = list(reader.fieldnames or [])
        for column in (text_column, customer_column):
            if column and column not in fieldnames:
                raise InputError(f"{path} has no column {column!r}; its columns are: {', '.join(fieldnames)}.")
        header = fieldnames + [c for c in RESULT_COLUMNS if c not in fieldnames]
        total = _count_rows(path)
        done = _rows_done(out, header)
        from tqdm import tqdm

        bar = tqdm(total=total, initial=done, unit="reply", disable=not progress, file=sys.stderr)
        scored = errors = 0
        with open(out, "a" if done else "w", encoding="utf-8", newline="") as out_handle:
            writer = csv.DictWriter(out_handle, fieldnames=header)
            if not done:
                writer.writeheader()
            for rows, results in _scored_chunks(_chunks(reader, text_column, customer_column, done),
                                                audience, workers):
                for row, result in zip(rows, results):
                    writer.writerow(row | result)
                    errors += bool(result["error"])
                    scored += not result["error"]
                out_handle.flush()  # a finished chunk is on disk before the next starts
                bar.update(len(rows))
        bar.close()
    return BatchSummary(rows=total, scored=scored, errors=errors, resumed_from=done, out=out)


def _scored_chunks(chunks, audience: str | None, workers: int):
    if workers <= 1:
        for rows, pairs in chunks:
            yield rows, score_rows(pairs, audience)
        return
    # Bounded look-ahead: at most 2 chunks per worker in flight, so memory stays flat.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: list[tuple[list[dict[str, str]], Future]] = []
        for rows, pairs in chunks:
            pending.append((rows, pool.submit(score_rows, pairs, audience)))
            if len(pending) >= 2 * workers:
                rows_done, future = pending.pop(0)
                yield rows_done, future.result()
        for rows_done, future in pending:
            yield rows_done, future.result()
