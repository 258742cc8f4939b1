"""allauth's rate limits hold across processes when the cache is shared (Redis)."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def failed_logins(count: int, key: str, *, redis: bool) -> str:
    """Record ``count`` failed logins for ``key`` in a fresh process; print
    whether each was still allowed."""
    script = (
        "from django.test import RequestFactory; from allauth.core import ratelimit; "
        "request = RequestFactory().post('/comptes/login/', REMOTE_ADDR='192.0.2.7'); "
        f"print(''.join('1' if ratelimit.consume(request, action='login_failed', key='{key}') else '0' "
        f"for _ in range({count})))"
    )
    env = {**os.environ, "SECRET_KEY": "rate-limits", "DEBUG": "0"}
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = REDIS_URL
    else:
        env["DEBUG"] = "1"  # production refuses to start without REDIS_URL
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.skipif(not redis_is_up(), reason="needs the Redis server on 127.0.0.1:6379")
def test_failed_logins_counted_in_one_process_block_the_next_one_with_redis():
    key = f"{uuid.uuid4()}@example.fr"

    assert failed_logins(5, key, redis=True) == "11111"
    assert failed_logins(1, key, redis=True) == "0"


def test_a_local_memory_cache_would_not_share_them():
    # Why production sets REDIS_URL: each process counts on its own.
    key = f"{uuid.uuid4()}@example.fr"

    assert failed_logins(5, key, redis=False) == "11111"
    assert failed_logins(1, key, redis=False) == "1"
