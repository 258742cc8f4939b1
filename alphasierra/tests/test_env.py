import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from alphasierra.env import (
    env_bool,
    env_choice,
    env_database,
    env_directory,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_redis_url,
    env_required_str,
    env_secret,
    env_str,
)


def test_env_str_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("AS_TEST", raising=False)

    assert env_str("AS_TEST", "défaut") == "défaut"


def test_an_empty_variable_counts_as_unset(monkeypatch):
    monkeypatch.setenv("AS_TEST", "  ")

    assert env_int("AS_TEST", 5) == 5


def test_env_required_str_names_the_missing_variable(monkeypatch):
    monkeypatch.delenv("AS_TEST", raising=False)

    with pytest.raises(ImproperlyConfigured, match="AS_TEST must be set"):
        env_required_str("AS_TEST")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("AS_TEST", raw)

    assert env_bool("AS_TEST") is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("AS_TEST", "peut-être")

    with pytest.raises(ImproperlyConfigured, match="AS_TEST"):
        env_bool("AS_TEST")


def test_env_int_refuses_a_non_integer(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "vingt-cinq")

    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='vingt-cinq' is not an integer"):
        env_int("EMAIL_PORT", 587)


def test_env_int_refuses_a_value_below_the_minimum(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "0")

    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 587, minimum=1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("AS_TEST", "a.fr, b.fr,,")

    assert env_list("AS_TEST") == ["a.fr", "b.fr"]


def test_env_choice_gives_the_choice_as_spelt_in_the_code(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "JSON")

    assert env_choice("LOG_FORMAT", ["json", "text"], "text") == "json"


def test_env_choice_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)

    assert env_choice("LOG_FORMAT", ["json", "text"], "text") == "text"


def test_env_choice_refuses_anything_else_naming_the_choices(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "xml")

    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT='xml' is not one of json, text"):
        env_choice("LOG_FORMAT", ["json", "text"], "text")


def test_env_float_reads_a_number_within_its_bounds(monkeypatch):
    monkeypatch.setenv("SENTRY_TRACES_SAMPLE_RATE", "0.25")

    assert env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0, minimum=0.0, maximum=1.0) == 0.25


@pytest.mark.parametrize("raw", ["beaucoup", "1.5", "-0.1", "nan"])
def test_env_float_refuses_what_is_not_a_number_within_its_bounds(monkeypatch, raw):
    monkeypatch.setenv("SENTRY_TRACES_SAMPLE_RATE", raw)

    with pytest.raises(ImproperlyConfigured, match="SENTRY_TRACES_SAMPLE_RATE"):
        env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0, minimum=0.0, maximum=1.0)


def test_env_database_defaults_to_the_local_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    database = env_database("DATABASE_URL", tmp_path / "db.sqlite3")

    assert (database["ENGINE"], database["NAME"]) == ("django.db.backends.sqlite3", str(tmp_path / "db.sqlite3"))


def test_env_database_reads_a_postgres_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://portail:s%40cret@db.local:5433/alphasierra")

    database = env_database("DATABASE_URL", tmp_path / "db.sqlite3")

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("alphasierra", "portail", "s@cret")
    assert (database["HOST"], database["PORT"]) == ("db.local", "5433")


def test_env_database_keeps_the_query_options(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://portail@db.local/alphasierra?sslmode=verify-full&application_name=web"
    )

    options = env_database("DATABASE_URL", tmp_path / "db.sqlite3")["OPTIONS"]

    assert options == {"sslmode": "verify-full", "application_name": "web"}


@pytest.mark.parametrize("url", [None, "sqlite:////srv/portail.sqlite3"])
def test_sqlite_lets_a_second_writer_wait_instead_of_failing(monkeypatch, tmp_path, url):
    if url:
        monkeypatch.setenv("DATABASE_URL", url)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)

    options = env_database("DATABASE_URL", tmp_path / "db.sqlite3")["OPTIONS"]

    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


def test_env_database_reads_a_sqlite_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/portail.sqlite3")

    assert env_database("DATABASE_URL", tmp_path / "x")["NAME"] == "/srv/portail.sqlite3"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://db/alphasierra", "unsupported scheme 'mysql'"),
        ("postgres://db:port/alphasierra", "not a valid URL"),
        ("postgres://db:5432/", "must name a database"),
        ("sqlite://", "must name a file"),
    ],
)
def test_env_database_refuses_bad_urls_naming_the_variable(monkeypatch, tmp_path, url, message):
    monkeypatch.setenv("DATABASE_URL", url)

    with pytest.raises(ImproperlyConfigured, match=f"DATABASE_URL.*{message}"):
        env_database("DATABASE_URL", tmp_path / "x")


def test_env_redis_url_refuses_another_scheme(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6379")

    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env_redis_url("REDIS_URL")


def test_env_networks_reads_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("AS_TEST", "10.0.0.5, 192.168.10.7/24,fd00::/8, ::1")

    assert env_networks("AS_TEST") == ["10.0.0.5/32", "192.168.10.0/24", "fd00::/8", "::1/128"]


@pytest.mark.parametrize("raw", ["10.0.0.300", "10.0.0.0/33", "prometheus.internal", "*"])
def test_env_networks_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("AS_TEST", f"10.0.0.5,{raw}")

    with pytest.raises(ImproperlyConfigured, match=f"AS_TEST: '{re.escape(raw)}' is not an address nor a network"):
        env_networks("AS_TEST")


def test_env_secret_refuses_a_short_one(monkeypatch):
    monkeypatch.setenv("AS_TEST", "x" * 31)

    with pytest.raises(ImproperlyConfigured, match="AS_TEST must be 32 characters at least"):
        env_secret("AS_TEST", min_length=32)

    monkeypatch.setenv("AS_TEST", "x" * 32)
    assert env_secret("AS_TEST", min_length=32) == "x" * 32
    monkeypatch.delenv("AS_TEST")
    assert env_secret("AS_TEST", min_length=32) == ""


def test_env_directory_refuses_a_folder_that_does_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("AS_TEST", str(tmp_path))
    assert env_directory("AS_TEST") == str(tmp_path)

    monkeypatch.setenv("AS_TEST", str(tmp_path / "nowhere"))
    with pytest.raises(ImproperlyConfigured, match=r"AS_TEST=.* is not a folder"):
        env_directory("AS_TEST")
