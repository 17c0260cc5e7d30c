"""coach batch on a Dask cluster (a LocalCluster here; a real one is just another address)."""
from __future__ import annotations

import pandas as pd
import pytest

from coach.distributed import score_on_dask
from coach.errors import InputError

distributed = pytest.importorskip("dask.distributed")

REPLIES = ["Hi Sam, thanks for waiting. I've reset the router and I'll call you at 3pm to check.",
           "Obviously you should have restarted it.", "", "Hello, please check the DNS settings."]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as local:
        yield local


@pytest.fixture()
def partitioned_input(tmp_path):
    folder = tmp_path / "replies"
    folder.mkdir()
    for part in range(3):
        pd.DataFrame({"id": [f"{part}-{i}" for i in range(len(REPLIES))], "reply": REPLIES}).to_csv(
            folder / f"export-{part}.csv", index=False)
    return folder


@pytest.mark.parametrize("out_name", ["scored", "scored.csv"])
def test_distributed_scores_every_partition(cluster, partitioned_input, tmp_path, out_name):
    summary = score_on_dask(str(partitioned_input), tmp_path / out_name, "reply", None, None,
                            cluster.scheduler_address, progress=False)
    assert (summary.rows, summary.errors) == (12, 3)
    parts = sorted((tmp_path / "scored").iterdir())
    assert len(parts) == 3
    read = pd.read_parquet if out_name == "scored" else pd.read_csv
    frame = pd.concat([read(p) for p in parts])
    assert list(frame["id"].astype(str)) == [f"{p}-{i}" for p in range(3) for i in range(4)]
    empty = frame[frame["id"].astype(str).str.endswith("-2")]
    assert empty["coach_error"].str.contains("empty").all()
    scored = frame[~frame["id"].astype(str).str.endswith("-2")]
    assert scored["coach_overall"].astype(float).between(0, 100).all()


def test_distributed_resumes_by_skipping_finished_partitions(cluster, partitioned_input, tmp_path):
    score_on_dask(str(partitioned_input), tmp_path / "scored", "reply", None, None,
                  cluster.scheduler_address, progress=False)
    (tmp_path / "scored" / "part-00001.parquet").unlink()
    again = score_on_dask(str(partitioned_input), tmp_path / "scored", "reply", None, None,
                          cluster.scheduler_address, progress=False)
    assert (again.resumed_from, again.rows) == (2, 4)


def test_distributed_unknown_column_is_a_clear_error(cluster, partitioned_input, tmp_path):
    with pytest.raises(InputError, match="no column 'body'"):
        score_on_dask(str(partitioned_input), tmp_path / "o", "body", None, None,
                      cluster.scheduler_address, progress=False)


def test_distributed_csv_partitions_keep_every_malformed_row(cluster, tmp_path):
    """The same reading as `coach batch`: no partition fails or loses rows on a careless export."""
    folder = tmp_path / "replies"
    folder.mkdir()
    (folder / "a.csv").write_bytes(b"id,reply,error\r\n1,Hi Sam, I'll fix it today, promise.,x\r\n"
                                   b"2,Thanks for waiting I\x92ve reset it.,y\r\n3,Hi\x00 Sam thanks,z\r\n")
    summary = score_on_dask(str(folder), tmp_path / "scored.csv", "reply", None, None,
                            cluster.scheduler_address, progress=False)
    frame = pd.read_csv(tmp_path / "scored" / "part-00000.csv", dtype=str, keep_default_na=False)
    assert list(frame["id"]) == ["1", "2", "3"] and list(frame["error"]) == ["x", "y", "z"]
    assert "has 5 fields" in frame["coach_error"][0] and frame["reply"][0] == "Hi Sam, I'll fix it today, promise."
    assert "not UTF-8" in frame["coach_error"][1] and frame["coach_overall"][1]
    assert frame["reply"][2] == "Hi Sam thanks"
    assert (summary.rows, summary.errors) == (3, 1)
