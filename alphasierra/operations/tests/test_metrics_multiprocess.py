"""The metrics as production serves them: gunicorn with two workers, each
counting its own requests in Prometheus' multiprocess mode, and a scrape
adding them up whichever worker answers it. The probes, at the server's own
address over plain HTTP, as a load balancer sends them.

Run it with ``PRODUCTION_SMOKE=1``, ``DATABASE_URL=postgres://…`` and
``REDIS_URL``, as ``make smoke`` (and CI) does.
"""

import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from alphasierra.organisations.models import Organisation
from alphasierra.organisations.sites import sites_seed
from alphasierra.tests.production import (
    ONLY_WHEN_ASKED,
    database_url_named,
    free_port,
    gunicorn_start,
    manage,
    production_env,
    stop,
    wait_until_served,
)

pytestmark = [
    pytest.mark.production,
    pytest.mark.django_db(transaction=True),
    ONLY_WHEN_ASKED,
]

TOKEN = "jeton-de-prometheus-" + "x" * 24


@dataclass(frozen=True)
class Served:
    url: str
    metrics_dir: Path


@pytest.fixture(scope="module")
def served(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """gunicorn as the app server's unit starts it, on the test database."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    assert database_url.startswith(("postgres://", "postgresql://")), "the test needs DATABASE_URL on PostgreSQL"
    assert redis_url, "the test needs REDIS_URL"
    with django_db_blocker.unblock():
        # The directory lists the sites; a transactional test before may have emptied the table.
        if not Organisation.objects.exists():
            sites_seed(Organisation)
        test_database = str(connection.settings_dict["NAME"])
    folder = tmp_path_factory.mktemp("metrics")
    metrics_dir = folder / "prometheus"
    metrics_dir.mkdir()
    port = free_port()
    env = production_env(
        database_url=database_url_named(database_url, test_database),
        redis_url=redis_url,
        var_dir=folder,
        portal_url="https://127.0.0.1",
        origins=[],
        email_port=free_port(),  # no e-mail is sent
    )
    env |= {"METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    log = folder / "gunicorn.log"
    gunicorn = gunicorn_start(env, port=port, log=log)
    try:
        wait_until_served(f"http://127.0.0.1:{port}/", gunicorn, log)
        yield Served(url=f"http://127.0.0.1:{port}", metrics_dir=metrics_dir)
    finally:
        stop(gunicorn)


def get(url: str, **headers: str) -> tuple[int, bytes]:
    try:
        with urlopen(Request(url, headers=headers), timeout=30) as response:  # noqa: S310 - our own server
            return response.status, response.read()
    except HTTPError as error:
        return error.code, error.read()


def scrape(served: Served) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, body = get(f"{served.url}/metrics/", Authorization=f"Bearer {TOKEN}")
    assert status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }


BATCH = 20
DIRECTORY_200 = ("alphasierra_responses_total", (("status", "200"), ("view", "directory")))
DIRECTORY_GET = ("alphasierra_request_duration_seconds_count", (("method", "GET"), ("view", "directory")))


def test_every_worker_s_requests_are_counted_whichever_worker_answers_the_scrape(served):
    def directory(_: int) -> int:
        return get(f"{served.url}/annuaire/", **{"X-Forwarded-Proto": "https"})[0]

    statuses: list[int] = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        # Behind the HTTPS proxy, at the public address, several at once,
        # until both workers have taken some: each keeps its counts in a file
        # of its own, written at its first request.
        while len(list(served.metrics_dir.glob("counter_*.db"))) < 2 and len(statuses) < 20 * BATCH:
            statuses += pool.map(directory, range(BATCH))
        scrapes = list(pool.map(lambda _: scrape(served), range(12)))

    sent = len(statuses)
    assert statuses == [200] * sent
    assert len(list(served.metrics_dir.glob("counter_*.db"))) == 2
    assert [samples.get(DIRECTORY_200) for samples in scrapes] == [sent] * 12
    assert [samples.get(DIRECTORY_GET) for samples in scrapes] == [sent] * 12
    # The database's figures, once per scrape, not once per worker.
    assert all(samples[("alphasierra_database_up", ())] == 1 for samples in scrapes)
    assert all(
        len([key for key in samples if key[0] == "alphasierra_registrations_waiting"]) == 13 for samples in scrapes
    )


def test_the_probes_answer_at_the_server_s_own_address_over_plain_http(served):
    # ALLOWED_HOSTS lists 127.0.0.1 only, and plain HTTP is redirected to HTTPS.
    own_address = {"Host": "10.20.30.40:8000"}

    live = get(f"{served.url}/health/live/", **own_address)
    ready_status, ready_body = get(f"{served.url}/health/ready/", **own_address)
    page = get(f"{served.url}/annuaire/", **own_address)

    assert live == (200, b'{"status": "ok"}')
    assert ready_status == 200
    checks = json.loads(ready_body)["checks"]
    assert [checks[name] for name in ("database", "cache", "migrations")] == ["ok"] * 3
    assert page[0] == 400
    assert get(f"{served.url}/metrics/", **own_address)[0] == 404  # without the token
