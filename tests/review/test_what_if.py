"""What-if availability: assumptions layered over synced facts, in memory only."""

from __future__ import annotations

from packls.facts import NO_FACTS, RegistryFacts, VersionAvailability


def test_an_assumption_names_one_version_and_leaves_the_others_as_they_were() -> None:
    facts = NO_FACTS.assuming({("core.python", "3.11"): False})
    assert not facts.is_available("core.python", "3.11")
    assert facts.is_available("core.python", "3.12")  # a runtime without synced facts stays fully available
    assert NO_FACTS.is_available("core.python", "3.11") and NO_FACTS.assumed == {}


def test_an_assumption_overrides_a_synced_fact_both_ways() -> None:
    synced = RegistryFacts(availability={
        ("core.python", "3.11"): VersionAvailability("core.python", "3.11", True),
        ("core.python", "3.13"): VersionAvailability("core.python", "3.13", False),
    })
    facts = synced.assuming({("core.python", "3.11"): False}).assuming({("core.python", "3.13"): True})
    assert (facts.is_available("core.python", "3.11"), facts.is_available("core.python", "3.13")) == (False, True)
    assert not facts.is_available("core.python", "3.12")  # never verified on a synced runtime: still unavailable
    assert facts.availability_of("core.python", "3.13") == synced.availability_of("core.python", "3.13")
