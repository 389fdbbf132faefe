"""The persistent content-hash cache: plain data survives a restart, stale or broken files never leak."""

from __future__ import annotations

import pytest

from packls.cache import ContentCache, digest


def test_values_survive_a_restart(tmp_path):
    cache = ContentCache("findings", "rules-v1", tmp_path)
    key = digest("ref: a.b\n")
    cache.put(key, (("runtime_version.invalid", 1, 10, 14, "bad"),))
    assert cache.save()
    again = ContentCache("findings", "rules-v1", tmp_path)
    assert again.get(key) == (("runtime_version.invalid", 1, 10, 14, "bad"),)


def test_another_fingerprint_starts_empty(tmp_path):
    cache = ContentCache("findings", "rules-v1", tmp_path)
    cache.put(digest("x"), 1)
    cache.save()
    assert len(ContentCache("findings", "rules-v2", tmp_path)) == 0


def test_a_corrupt_file_is_an_empty_cache(tmp_path):
    (tmp_path / "findings.marshal").write_bytes(b"\x00garbage")
    assert ContentCache("findings", "", tmp_path).get(digest("x")) is None


def test_the_least_recently_used_entries_leave_first(tmp_path):
    cache = ContentCache("n", "", tmp_path, max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert "b" not in cache and "a" in cache and "c" in cache


def test_only_plain_data_is_accepted(tmp_path):
    with pytest.raises(ValueError):
        ContentCache("n", "", tmp_path).put("k", object())


def test_the_digest_is_of_the_content_including_lone_surrogates():
    assert digest("a") == digest("a") != digest("b")
    assert len(digest("\ud800")) == 32
