"""Data migrations tested on data shaped like before them, with Django's own
migration executor, on the test database (SQLite or PostgreSQL).

    with migrated_back("agents", "0003_search_text") as run:
        agent = run.apps.get_model("agents", "Agent")  # as it was before 0003
        ...rows written with the historical models...
        after = run.forward()  # 0003 applied: its models
    ...the database is at the latest migrations again...

Used by tests that commit (``transactional_db``): migrations cannot run inside
a test's transaction on SQLite. The tables a run drops and creates again start
their sequences again; that is harmless because pytest-django runs these tests
after every test in a transaction, where the cast replay (``tests/replay.py``)
writes the primary keys it recorded.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Key = tuple[str, str]


@dataclass
class MigrationRun:
    executor: MigrationExecutor
    target: Key
    apps: Any  # the historical models just before ``target``

    def agent_make(self, *, clas: Any, last_name: str, first_name: str, email: str) -> Any:
        """An approved agent of ``clas`` and their account, with the historical
        models (the fields every migration's state has had so far)."""
        user = self.apps.get_model("accounts", "User")
        return self.apps.get_model("agents", "Agent").objects.create(
            user=user.objects.create(email=email),
            clas=clas,
            state="approved",
            civility="mme",
            last_name=last_name,
            first_name=first_name,
            employer="dgac",
            status="active",
            service="SNA Sud-Ouest",
            service_address="Aéroport de Blagnac",
            work_phone="0561000000",
            personal_phone="0611223344",
            address="1 rue des Avions",
            postal_code="31700",
            city="Blagnac",
        )

    def forward(self) -> Any:
        """Applies ``target`` alone; the historical models after it."""
        self.executor.loader.build_graph()
        return self.executor.migrate([self.target]).apps


@contextmanager
def migrated_back(app: str, name: str) -> Iterator[MigrationRun]:
    """The test database migrated back to just before ``app``'s migration
    ``name`` (and before whatever depends on it), then, whatever happens,
    forward to the latest migrations again."""
    target = (app, name)
    executor = MigrationExecutor(connection)
    parents = [key for key in executor.loader.get_migration(app, name).dependencies if key[0] == app]
    try:
        state = executor.migrate(parents or [(app, None)])
        yield MigrationRun(executor=executor, target=target, apps=state.apps)
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
