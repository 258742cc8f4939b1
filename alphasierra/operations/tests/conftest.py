"""Shared by the operations tests: a Redis server of the test's own, to stop."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from alphasierra.operations import health


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real ``redis-server`` on a free port, without persistence; the test
    may stop it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = RedisServer(url=f"redis://127.0.0.1:{port}/0", process=process)
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(server.url).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                server.stop()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield server
    if process.poll() is None:
        server.stop()


@pytest.fixture
def migrations_unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process has not yet found every migration applied (it remembers
    once it has)."""
    monkeypatch.setattr(health, "_migrations_applied", False)
