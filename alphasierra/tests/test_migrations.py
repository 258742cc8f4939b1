"""Every data migration of the portal has a test that runs it on data shaped
like before it (``tests/migrating.py``): an upgrade that rewrites existing
rows is tried before a release, not on the production database."""

import importlib

from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

# Each migration of the portal with a RunPython step, and its test.
TESTED = {
    ("agents", "0003_search_text"): (
        "alphasierra.agents.tests.test_migrations",
        "test_0003_search_text_fills_the_search_text_of_the_agents_already_registered",
    ),
    ("organisations", "0002_seed_sites"): (
        "alphasierra.organisations.tests.test_migrations",
        "test_0002_seed_sites_creates_the_17_sites_and_refreshes_one_already_there",
    ),
    ("transfers", "0002_transfer_agent_name"): (
        "alphasierra.transfers.tests.test_migrations",
        "test_0002_transfer_agent_name_gives_the_transfers_already_made_their_agent_name",
    ),
}


def data_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        key
        for key, migration in loader.disk_migrations.items()
        if migration.__module__.startswith("alphasierra.")
        and any(isinstance(operation, RunPython) for operation in migration.operations)
    }


def test_every_data_migration_of_the_portal_has_its_test():
    untested = data_migrations() - set(TESTED)

    assert not untested, (
        f"Data migrations without a test: {sorted(untested)}. Run each on rows made before it "
        "(alphasierra/tests/migrating.py) and name its test in TESTED."
    )


def test_each_test_named_exists_for_a_data_migration_that_exists():
    assert set(TESTED) <= data_migrations()
    for module, function in TESTED.values():
        assert callable(getattr(importlib.import_module(module), function, None)), f"{module}::{function} is missing"
