"""Rebuildable cache files: what was written is read back; anything else is never trusted."""
from __future__ import annotations

import pytest

from coach import cachefiles


def test_cache_file_is_read_back_as_written(tmp_path):
    path = tmp_path / "cache" / "lemmas.json"
    cachefiles.write_json(path, 3, {"lemmas": {"rebooted": ["reboot"]}})
    assert cachefiles.read_json(path, 3) == {"lemmas": {"rebooted": ["reboot"]}}
    assert [p.name for p in path.parent.iterdir()] == ["lemmas.json"]  # no temporary file left behind


@pytest.mark.parametrize("content", ["", "{", "[]", "null", '"format 3"', '{"format": 2, "lemmas": {}}',
                                     '{"lemmas": {}}', "\x00\x01"])
def test_damaged_or_foreign_cache_file_is_not_trusted(tmp_path, content):
    path = tmp_path / "lemmas.json"
    path.write_text(content)
    assert cachefiles.read_json(path, 3) is None


def test_missing_cache_file_or_no_cache_folder_reads_as_nothing(tmp_path):
    assert cachefiles.read_json(tmp_path / "absent.json", 1) is None
    assert cachefiles.read_json(None, 1) is None


def test_unwritable_cache_folder_never_fails_the_caller(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be")
    cachefiles.write_json(blocked / "lemmas.json", 1, {"lemmas": {"a": ["a"]}})
    cachefiles.write_json(None, 1, {"lemmas": {"a": ["a"]}})
    assert cachefiles.read_json(blocked / "lemmas.json", 1) is None
