"""Settings shapes clients really send: Neovim encodes an empty Lua table as a JSON array."""

from __future__ import annotations

from packls.lsp.settings import split_settings


def test_an_empty_array_is_an_empty_settings_object():
    shared, _, problems = split_settings([])
    assert (shared, problems) == ({}, [])


def test_any_other_non_object_falls_back_to_defaults_and_says_so():
    shared, _, problems = split_settings(["severity"])
    assert shared == {}
    assert problems and "must be an object" in problems[0]
