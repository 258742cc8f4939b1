"""The portal started as production starts it (README, « Production »), for the
tests that run it so: the production smoke test and the scale-out test.

The database is made by ``migrate``, static files are collected with the
production storage, gunicorn serves with DEBUG off on PostgreSQL and Redis
behind a (simulated) HTTPS proxy, and ``db_worker`` processes take the tasks.
Each process gets only what a production host would have in its environment:
nothing of the test run's settings.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# Set for the test run (pyproject.toml, conftest.py), never for a production host.
TEST_RUN_ONLY = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "PORTAL_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url_named(url: str, name: str) -> str:
    """``url`` (``postgres://…/<db>?options``) naming the database ``name`` instead."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def recreate_database(url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    server = urlsplit(database_url_named(url, "postgres"))._replace(query="").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def production_env(
    *, database_url: str, redis_url: str, var_dir: Path, portal_url: str, origins: list[str], email_port: int
) -> dict[str, str]:
    """The environment of a production host: DEBUG off, a throwaway key, the
    given database and Redis, e-mail through SMTP on ``email_port`` of this host.

    ``origins`` are the addresses the test's clients use: the proxy terminates
    HTTPS and says so in X-Forwarded-Proto (set by the clients here), while the
    clients' Origin is still http://, hence their listing.
    """
    env = {name: value for name, value in os.environ.items() if name not in TEST_RUN_ONLY}
    return env | {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "VAR_DIR": str(var_dir),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_URL": portal_url,
        "BEHIND_HTTPS_PROXY": "true",
        "CSRF_TRUSTED_ORIGINS": ",".join(origins),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(email_port),
        "EMAIL_USE_TLS": "false",
    }


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"


def _start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, *args], cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def gunicorn_start(env: dict[str, str], *, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``gunicorn -c deploy/gunicorn.conf.py alphasierra.wsgi -w 2`` on
    ``port``, its output in ``log``; see ``wait_until_served``."""
    # Its control socket beside the log: every gunicorn of a host would
    # otherwise take the same one (~/.gunicorn/gunicorn.ctl), each new one
    # replacing the last's, and the first one stopped removing it for all.
    control = log.with_suffix(".ctl")
    config = BASE_DIR / "deploy" / "gunicorn.conf.py"
    args = ["-c", str(config), "alphasierra.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"]
    args += ["--control-socket", str(control)]
    return _start(env, log, "-m", "gunicorn", *args)


def worker_start(env: dict[str, str], *, worker_id: str, log: Path) -> subprocess.Popen[bytes]:
    """``manage.py db_worker``, recording ``worker_id`` on each task it takes."""
    return _start(env, log, "manage.py", "db_worker", "--worker-id", worker_id, "--interval", "0.2")


# Long enough for a loaded machine, where several processes import Django at once.
START_TIMEOUT = 120


def wait_until_served(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310 - our own server
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
        try:
            with urllib.request.urlopen(request, timeout=20):  # noqa: S310
                return
        except OSError:  # refused, reset or timed out while the workers start
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within {START_TIMEOUT} s:\n{log.read_text()}")


def wait_until_working(process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the worker has started polling the queue (the line it logs then)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the worker stopped:\n{log.read_text()}"
        if "Starting worker" in log.read_text():
            return
        time.sleep(0.3)
    pytest.fail(f"the worker did not start within {START_TIMEOUT} s:\n{log.read_text()}")


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """Stop servers and workers as the service manager does (SIGTERM), all at
    once, and wait for them."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
