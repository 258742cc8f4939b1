"""Start-up as an operator sees it: ``manage.py`` in a fresh process."""

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_LIKE = {
    "SECRET_KEY": "x" * 30 + "-production-like-secret-key-for-the-deploy-checks",
    "ALLOWED_HOSTS": "www.alpha-sierra.org",
    "DATABASE_URL": "postgres://alphasierra@127.0.0.1:5432/alphasierra",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.alpha-sierra.org",
    "PORTAL_URL": "https://www.alpha-sierra.org",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {
        "DEBUG",
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "EMAIL_HOST",
        "PORTAL_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, "VAR_DIR": env.pop("VAR_DIR", str(BASE_DIR / "var")), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_like_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_LIKE)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_without_debug():
    result = manage("check", **{k: v for k, v in PRODUCTION_LIKE.items() if k != "SECRET_KEY"})

    assert result.returncode != 0
    assert result.stderr.strip() == "Configuration error: SECRET_KEY must be set."


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("EMAIL_PORT", "vingt-cinq"),
        ("DATABASE_URL", "mysql://db/alphasierra"),
        ("DEBUG", "peut-être"),
        ("METRICS_TOKEN", "court"),
        ("METRICS_ALLOWED_IPS", "10.0.0.0/8,prometheus.internal"),
        ("PROMETHEUS_MULTIPROC_DIR", "/nowhere/metrics"),
        ("LOG_FORMAT", "xml"),
        ("LOG_LEVEL", "bavard"),
        ("SENTRY_TRACES_SAMPLE_RATE", "2"),
    ],
)
def test_a_bad_value_stops_start_up_with_one_line_naming_the_variable(variable, value):
    result = manage("check", **{**PRODUCTION_LIKE, variable: value})

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]


def test_a_local_portal_needs_no_variable(tmp_path):
    result = manage("check", DEBUG="1", VAR_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr


def setting(name: str, **env: str) -> str:
    """The value of one setting as a fresh process started with ``env`` sees it."""
    result = manage("shell", "-c", f"from django.conf import settings; print(repr(settings.{name}))", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("variable", "consequence"),
    [
        ("REDIS_URL", "rate limits would be counted per process"),
        ("EMAIL_HOST", "e-mails would be written to files and marked sent"),
        ("PORTAL_URL", "links in e-mails would lead to 127.0.0.1"),
    ],
)
def test_production_does_not_start_without_what_it_needs(variable, consequence):
    result = manage("check", **{k: v for k, v in PRODUCTION_LIKE.items() if k != variable})

    assert result.returncode != 0
    assert result.stderr.strip() == (f"Configuration error: {variable} must be set when DEBUG is off ({consequence}).")


def test_database_url_query_options_reach_the_driver():
    url = "postgres://alphasierra@db.internal:5432/alphasierra?sslmode=verify-full&connect_timeout=5"

    options = setting("DATABASES['default']['OPTIONS']", **{**PRODUCTION_LIKE, "DATABASE_URL": url})

    assert options == repr({"sslmode": "verify-full", "connect_timeout": "5"})


def test_hsts_preload_is_an_explicit_choice():
    assert setting("SECURE_HSTS_PRELOAD", **PRODUCTION_LIKE) == "False"
    assert setting("SECURE_HSTS_PRELOAD", **PRODUCTION_LIKE, SECURE_HSTS_PRELOAD="true") == "True"


def test_demo_data_refuses_to_run_without_debug(tmp_path):
    database = f"sqlite:///{tmp_path}/portal.sqlite3"
    result = manage("demo_data", **{**PRODUCTION_LIKE, "DATABASE_URL": database, "VAR_DIR": str(tmp_path)})

    assert result.returncode != 0
    assert "DEBUG" in result.stderr
    assert "mot de passe" not in result.stdout
    database_file = tmp_path / "portal.sqlite3"
    if database_file.exists():  # opened by the start-up checks, but nothing written
        with closing(sqlite3.connect(database_file)) as connection:
            assert connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == []


def test_each_log_line_is_printed_once(tmp_path):
    code = (
        "import logging; "
        "logging.getLogger('alphasierra.security').warning('ligne-securite'); "
        "logging.getLogger('alphasierra.mail.services').warning('ligne-courriel'); "
        "logging.getLogger('django').warning('ligne-django'); "
        "logging.getLogger('django.request').warning('ligne-requete')"
    )
    result = manage("shell", "-c", code, DEBUG="1", VAR_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    for line in ("ligne-securite", "ligne-courriel", "ligne-django", "ligne-requete"):
        assert result.stderr.count(line) == 1, result.stderr


def test_logs_are_json_lines_in_production_and_text_on_a_local_portal(tmp_path):
    code = "import logging; logging.getLogger('alphasierra.essai').warning('ligne %s', 1, extra={'compte': 7})"

    production = manage("shell", "-c", code, **PRODUCTION_LIKE, VAR_DIR=str(tmp_path))
    local = manage("shell", "-c", code, DEBUG="1", VAR_DIR=str(tmp_path))
    chosen = manage("shell", "-c", code, DEBUG="1", LOG_FORMAT="json", VAR_DIR=str(tmp_path))

    [line] = production.stderr.splitlines()
    entry = json.loads(line)
    assert entry["time"].endswith("Z")
    assert {k: v for k, v in entry.items() if k != "time"} == {
        "level": "WARNING",
        "logger": "alphasierra.essai",
        "message": "ligne 1",
        "compte": 7,
    }
    assert local.stderr.splitlines() == ["WARNING alphasierra.essai: ligne 1"]
    assert json.loads(chosen.stderr)["message"] == "ligne 1"


def test_without_sentry_dsn_sentry_is_not_even_imported(tmp_path):
    code = "import sys; print('sentry_sdk' in sys.modules)"

    result = manage("shell", "-c", code, **PRODUCTION_LIKE, VAR_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
