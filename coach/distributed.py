"""`coach batch --scheduler ADDRESS`: the same scoring on a Dask cluster, partition by partition.

Input: a CSV or Parquet file, a folder of them, or a glob. Output: a folder with one file per input
partition (`part-00000.parquet` or `.csv`, by the --out suffix; a folder name means Parquet). Each
partition is written atomically, so re-running after an interruption skips finished partitions.
"""
from __future__ import annotations

import glob
import os
from pathlib import Path

from coach.batch import RESULT_COLUMNS, BatchSummary, score_rows
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


def score_partition(frame, text_column: str, customer_column: str | None, audience: str | None,
                    out_file: str):
    """Score one pandas partition and write it atomically to `out_file`; returns (rows, errors)."""
    import pandas as pd

    texts = frame[text_column].where(frame[text_column].notna(), None).astype(object)
    customers = (frame[customer_column].where(frame[customer_column].notna(), None).astype(object)
                 if customer_column else [None] * len(frame))
    results = pd.DataFrame(score_rows(list(zip(texts, customers)), audience), index=frame.index,
                           columns=list(RESULT_COLUMNS))
    scored = pd.concat([frame.drop(columns=[c for c in RESULT_COLUMNS if c in frame.columns]), results], axis=1)
    temporary = f"{out_file}.tmp"
    if out_file.endswith(".parquet"):  # typed columns: scores as numbers (missing = null), text as strings
        for column in RESULT_COLUMNS:
            scored[column] = (scored[column].astype("string") if column in ("findings", "error")
                              else pd.to_numeric(scored[column], errors="coerce"))
        scored.to_parquet(temporary, index=False)
    else:
        scored.to_csv(temporary, index=False)
    os.replace(temporary, out_file)
    return len(scored), int((results["error"] != "").sum())


def score_on_dask(source: str, out: Path, text_column: str, customer_column: str | None,
                  audience: str | None, scheduler: str, progress: bool = True) -> BatchSummary:
    import dask.dataframe as dd
    from dask import delayed
    from dask.distributed import Client, as_completed
    from tqdm import tqdm

    files, kind = _input_files(source)
    # One partition per CSV file: replies hold line breaks inside quoted fields, and Dask cuts CSV
    # blocks at any line break, which would split a reply between two partitions.
    frame = (dd.read_csv(files, dtype=str, keep_default_na=False, na_values=[], blocksize=None)
             if kind == ".csv" else dd.read_parquet(files))
    for column in (text_column, customer_column):
        if column and column not in frame.columns:
            raise InputError(f"{source} has no column {column!r}; its columns are: {', '.join(frame.columns)}.")
    out_kind = ".csv" if out.suffix == ".csv" else ".parquet"
    folder = out.with_suffix("") if out.suffix else out
    folder.mkdir(parents=True, exist_ok=True)
    parts = frame.to_delayed()
    tasks, skipped = [], 0
    for index, part in enumerate(parts):
        out_file = str(folder / f"part-{index:05d}{out_kind}")
        if os.path.exists(out_file):
            skipped += 1
            continue
        tasks.append(delayed(score_partition)(part, text_column, customer_column, audience, out_file))
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
