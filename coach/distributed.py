"""`coach batch --scheduler ADDRESS`: the same scoring on a Dask cluster, partition by partition.

Input: a CSV or Parquet file, a folder of them, or a glob. Output: a folder with one file per input
partition (`part-00000.parquet` or `.csv`, by the --out suffix; a folder name means Parquet). Each
partition is written atomically, so re-running after an interruption skips finished partitions.

A CSV file is one partition (replies hold line breaks inside quoted fields, and Dask would cut a
block at any line break), read by coach.batch.read_records: the same guarantees as `coach batch`
on one file (every record gives one output row; malformed rows and undecodable bytes become rows
with `coach_error`; NULs dropped; namespaced `coach_*` result columns).
"""
from __future__ import annotations

import glob
import os
from pathlib import Path

from coach.batch import RESULT_KEYS, BatchSummary, ReadStats, output_names, read_records, score_rows
from coach.errors import InputError


def _input_files(source: str) -> tuple[list[str], str]:
    path = Path(source)
    if path.is_dir():
        files = sorted(str(p) for p in path.iterdir() if p.suffix in (".csv", ".parquet"))
    else:
        files = sorted(glob.glob(source))
    if not files:
        raise InputError(f"{source}: no CSV or Parquet files found.")
    kinds = {Path(f).suffix for f in files}
    if len(kinds) != 1 or kinds - {".csv", ".parquet"}:
        raise InputError(f"{source}: expected only .csv or only .parquet files, found {', '.join(sorted(kinds))}.")
    return files, kinds.pop()


def _csv_header(file: str) -> list[str]:
    with open(file, "rb") as handle:
        header, _ = read_records(handle, ReadStats())
    return header


def score_partition(frame, text_column: str, customer_column: str | None, audience: str | None,
                    out_file: str, problems: list[str | None] | None = None, notes: list[str | None] | None = None):
    """Score one pandas partition and write it atomically to `out_file`; returns (rows, errors).

    `problems[i]` (a malformed row: not scored) and `notes[i]` (what reading repaired) go into the
    row's error column."""
    import pandas as pd

    problems = problems or [None] * len(frame)
    notes = notes or [None] * len(frame)
    texts = frame[text_column].where(frame[text_column].notna(), None).astype(object)
    customers = (frame[customer_column].where(frame[customer_column].notna(), None).astype(object)
                 if customer_column else [None] * len(frame))
    pairs = [(None, None) if problem else (text, customer)
             for problem, text, customer in zip(problems, texts, customers)]
    results = score_rows(pairs, audience)
    for result, problem, note in zip(results, problems, notes):
        if problem:
            result.update({key: "" for key in RESULT_KEYS} | {"error": problem})
        elif note:
            result["error"] = "; ".join(filter(None, (result["error"], note)))
    names = output_names(list(frame.columns))
    scored_frame = pd.DataFrame([[r[key] for key in RESULT_KEYS] for r in results], index=frame.index,
                                columns=[names[key] for key in RESULT_KEYS])
    scored = pd.concat([frame, scored_frame], axis=1)
    temporary = f"{out_file}.tmp"
    if out_file.endswith(".parquet"):  # typed columns: scores as numbers (missing = null), text as strings
        for key in RESULT_KEYS:
            column = names[key]
            scored[column] = (scored[column].astype("string") if key in ("findings", "error")
                              else pd.to_numeric(scored[column], errors="coerce"))
        scored.to_parquet(temporary, index=False)
    else:
        scored.to_csv(temporary, index=False)
    os.replace(temporary, out_file)
    unscored = sum(1 for r in results if r["overall"] in ("", None) and r["error"])
    return len(scored), unscored


def score_csv_file(file: str, text_column: str, customer_column: str | None, audience: str | None,
                   out_file: str):
    """Read one CSV file as coach batch does, and score it as one partition."""
    import pandas as pd

    with open(file, "rb") as handle:
        header, records = read_records(handle, ReadStats(), join_into=text_column)
        records = list(records)
    frame = pd.DataFrame([r.fields for r in records], columns=header, dtype=object)
    return score_partition(frame, text_column, customer_column, audience, out_file,
                           [r.problem for r in records], [r.note for r in records])


def score_on_dask(source: str, out: Path, text_column: str, customer_column: str | None,
                  audience: str | None, scheduler: str, progress: bool = True) -> BatchSummary:
    import dask.dataframe as dd
    from dask import delayed
    from dask.distributed import Client, as_completed
    from tqdm import tqdm

    files, kind = _input_files(source)
    if kind == ".csv":
        columns = _csv_header(files[0])
        for file in files[1:]:
            if _csv_header(file) != columns:
                raise InputError(f"{file} has other columns than {files[0]}; every file needs the same header.")
        parts = None
    else:
        frame = dd.read_parquet(files)
        columns, parts = list(frame.columns), frame.to_delayed()
    for column in (text_column, customer_column):
        if column and column not in columns:
            raise InputError(f"{source} has no column {column!r}; its columns are: {', '.join(columns)}.")
    out_kind = ".csv" if out.suffix == ".csv" else ".parquet"
    folder = out.with_suffix("") if out.suffix else out
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--out {folder} is a file; with --scheduler, --out names a folder.")
    folder.mkdir(parents=True, exist_ok=True)
    tasks, skipped = [], 0
    for index in range(len(files) if parts is None else len(parts)):
        out_file = str(folder / f"part-{index:05d}{out_kind}")
        if os.path.exists(out_file):
            skipped += 1
            continue
        if parts is None:
            tasks.append(delayed(score_csv_file)(files[index], text_column, customer_column, audience, out_file))
        else:
            tasks.append(delayed(score_partition)(parts[index], text_column, customer_column, audience, out_file))
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"Cannot reach the Dask scheduler at {scheduler} ({exc}).") from None
    rows = errors = 0
    with client:
        futures = client.compute(tasks)
        for future in tqdm(as_completed(futures), total=len(futures), unit="partition", disable=not progress):
            done_rows, done_errors = future.result()
            rows += done_rows
            errors += done_errors
    return BatchSummary(rows=rows, scored=rows - errors, errors=errors, resumed_from=skipped, out=folder)
