"""The portal started as production starts it (README, « Production »), for the
tests that run it so: the production smoke test and the scale-out test.

The database is made by ``migrate``, static files are collected with the
production storage, gunicorn serves with DEBUG off on PostgreSQL and Redis
behind a (simulated) HTTPS proxy, and ``db_worker`` processes take the tasks.
Each process gets only what a production host would have in its environment:
nothing of the test run's settings.
"""

import datetime
import http.client
import os
import secrets
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# The tests that run the portal as production does run only when asked, as
# ``make smoke`` (and CI) asks.
ONLY_WHEN_ASKED = pytest.mark.skipif(
    os.environ.get("PRODUCTION_SMOKE") != "1",
    reason="runs only when asked: PRODUCTION_SMOKE=1, with DATABASE_URL on PostgreSQL and REDIS_URL "
    "(as make smoke and .ci/run do)",
)
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
    *,
    database_url: str,
    redis_url: str,
    var_dir: Path,
    portal_url: str,
    origins: list[str],
    email_port: int,
    host: str = "127.0.0.1",
) -> dict[str, str]:
    """The environment of a production host: DEBUG off, a throwaway key, the
    given database and Redis, e-mail through SMTP on ``email_port`` of this host.

    ``host`` is the public name. ``origins`` are the addresses of clients that
    speak to gunicorn directly, playing the proxy: they say HTTPS in
    X-Forwarded-Proto while their Origin is still http://, hence their listing
    (none behind nginx, which the browser reaches over HTTPS).
    """
    env = {name: value for name, value in os.environ.items() if name not in TEST_RUN_ONLY}
    return env | {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "VAR_DIR": str(var_dir),
        "ALLOWED_HOSTS": host,
        "PORTAL_URL": portal_url,
        "BEHIND_HTTPS_PROXY": "true",
        "CSRF_TRUSTED_ORIGINS": ",".join(origins),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(email_port),
        "EMAIL_USE_TLS": "false",
    }


def manage(env: dict[str, str], *args: str) -> str:
    """Runs ``manage.py`` with ``args``, which must succeed; returns its output."""
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def _start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, *args], cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )


# The release's folder and virtual environment on a server, as the shipped
# systemd units and nginx site name them (deploy/).
SERVER_RELEASE = "/srv/alphasierra"
SERVER_VENV_BIN = f"{SERVER_RELEASE}/.venv/bin/"


def unit_command(unit: str, instance: str = "") -> list[str]:
    """The command line of a shipped systemd unit (its ``ExecStart``), for this
    machine: the release is this checkout, the virtual environment the test's,
    ``%i`` the instance and ``%H`` this host. Starting processes from the units
    themselves keeps the tests on the documented commands."""
    unit_file = BASE_DIR / "deploy" / "systemd" / unit
    (command,) = (line for line in unit_file.read_text().splitlines() if line.startswith("ExecStart="))
    words = command.removeprefix("ExecStart=").replace("%i", instance).replace("%H", socket.gethostname()).split()
    program = words[0].removeprefix(SERVER_VENV_BIN)
    assert program != words[0], f"{unit} does not run a program of the release's virtual environment"
    # gunicorn and python of the test's own environment (no script launchers).
    return [sys.executable, *(["-m", "gunicorn"] if program == "gunicorn" else []), *words[1:]]


def _option_set(command: list[str], option: str, value: str) -> list[str]:
    """``command`` with ``option``'s value replaced (the option must be there)."""
    at = command.index(option)
    return [*command[: at + 1], value, *command[at + 2 :]]


def gunicorn_start(env: dict[str, str], *, port: int, log: Path) -> subprocess.Popen[bytes]:
    """The app server as ``alphasierra-web.service`` starts it, with 2 workers
    on ``port``, its output in ``log``; see ``wait_until_served``."""
    command = unit_command("alphasierra-web.service")
    command = _option_set(_option_set(command, "-w", "2"), "-b", f"127.0.0.1:{port}")
    # Its control socket beside the log: every gunicorn of a host would
    # otherwise take the same one (~/.gunicorn/gunicorn.ctl), each new one
    # replacing the last's, and the first one stopped removing it for all.
    command += ["--control-socket", str(log.with_suffix(".ctl"))]
    # The unit's RuntimeDirectory: a new, empty folder for each start (or the
    # caller's, to read what the workers wrote there).
    if "PROMETHEUS_MULTIPROC_DIR" not in env:
        metrics = log.with_suffix(".metrics")
        metrics.mkdir()
        env = env | {"PROMETHEUS_MULTIPROC_DIR": str(metrics)}
    return _start(env, log, *command[1:])


def worker_start(env: dict[str, str], *, worker_id: str, log: Path) -> subprocess.Popen[bytes]:
    """A task worker as ``alphasierra-worker@.service`` starts it, recording
    ``worker_id`` on each task it takes; it polls the queue every 0.2 s rather
    than every second, for the tests' sake."""
    command = _option_set(unit_command("alphasierra-worker@.service"), "--worker-id", worker_id)
    return _start(env, log, *command[1:], "--interval", "0.2")


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


# The edge: nginx with the shipped site (deploy/nginx/alphasierra.conf), TLS
# with a throwaway certificate for the public name. Browsers reach it by that
# name (Chromium maps it to 127.0.0.1), so that TLS sends it (SNI) as it would
# on the real server.
PUBLIC_NAME = "www.alpha-sierra.org"
NGINX = "/usr/sbin/nginx"


def _site_for_this_machine(site: str, *, folder: Path, https_port: int, http_port: int, upstream_port: int) -> str:
    """The shipped site with this machine's values in place of a server's: each
    value must be found, or the test would no longer run the shipped file."""
    values = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl default_server;": f"listen 127.0.0.1:{https_port} ssl default_server;",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        # The test machine listens on its IPv4 loopback only.
        "listen [::]:80;": "",
        "listen [::]:443 ssl default_server;": "",
        "listen [::]:443 ssl http2;": "",
        "server 127.0.0.1:8000": f"server 127.0.0.1:{upstream_port}",
        "/etc/ssl/alphasierra/": f"{folder}/",
        "/srv/alphasierra/deploy/": f"{BASE_DIR}/deploy/",
        "/srv/alphasierra/maintenance.on": f"{folder}/maintenance.on",
        "/var/log/nginx/": f"{folder}/",
    }
    for server_value, value in values.items():
        assert server_value in site, f"deploy/nginx/alphasierra.conf no longer holds {server_value!r}"
        site = site.replace(server_value, value)
    return site


def _certificate_make(folder: Path) -> Path:
    """A self-signed certificate for the public name, valid one day; returns its
    file, which clients take as the only authority they trust."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, PUBLIC_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(PUBLIC_NAME)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    chain = folder / "fullchain.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return chain


@dataclass
class Edge:
    """nginx in front of the app server, as on a real host."""

    folder: Path
    https_port: int
    http_port: int
    certificate: Path
    config: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://{PUBLIC_NAME}:{self.https_port}"

    @property
    def maintenance_flag(self) -> Path:
        return self.folder / "maintenance.on"

    def config_check(self) -> str:
        """``nginx -t`` on the configuration: its report, which must be clean."""
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [NGINX, "-t", "-c", str(self.config), "-e", str(self.folder / "startup.log")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stderr

    def start(self) -> None:
        self.config_check()
        log = self.folder / "nginx.out"
        with log.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [NGINX, "-c", str(self.config), "-e", str(self.folder / "startup.log")],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"nginx stopped:\n{log.read_text()}"
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"nginx did not listen within {START_TIMEOUT} s")

    def context(self) -> ssl.SSLContext:
        """A client's TLS context trusting the throwaway certificate only."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        server_name: str = PUBLIC_NAME,
    ) -> tuple[http.client.HTTPResponse, bytes]:
        """One HTTPS request through nginx, asking for ``server_name`` (in TLS
        and in Host, with the port); returns the response and its body."""
        connection = _EdgeConnection(server_name, self.https_port, context=self.context(), timeout=30)
        try:
            connection.request(
                method, path, body=body, headers={"Host": f"{server_name}:{self.https_port}"} | (headers or {})
            )
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()


class _EdgeConnection(http.client.HTTPSConnection):
    """HTTPS to nginx on this machine under a public name: connects to
    127.0.0.1 and asks for the name in TLS, where a browser would have looked
    the name up first."""

    def __init__(self, host: str, port: int, *, context: ssl.SSLContext, timeout: float) -> None:
        super().__init__(host, port, context=context, timeout=timeout)
        self.tls = context

    def connect(self) -> None:
        self.sock = self.tls.wrap_socket(
            socket.create_connection(("127.0.0.1", self.port), self.timeout), server_hostname=self.host
        )


def edge_make(folder: Path, *, upstream_port: int) -> Edge:
    """nginx configured with the shipped site in front of ``upstream_port``,
    inside ``folder`` (configuration, certificate, logs, maintenance flag); not
    started yet (``Edge.start``)."""
    https_port, http_port = free_port(), free_port()
    certificate = _certificate_make(folder)
    site = folder / "alphasierra.conf"
    site.write_text(
        _site_for_this_machine(
            (BASE_DIR / "deploy" / "nginx" / "alphasierra.conf").read_text(),
            folder=folder,
            https_port=https_port,
            http_port=http_port,
            upstream_port=upstream_port,
        )
    )
    for temporary in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temporary).mkdir()
    # What Debian's /etc/nginx/nginx.conf gives the site, with this folder's
    # paths. Run as root, the workers would be "nobody", who cannot read the
    # test's private folders (the maintenance flag).
    config = folder / "nginx.conf"
    config.write_text(
        f"""daemon off;
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {site};
}}
"""
    )
    return Edge(folder=folder, https_port=https_port, http_port=http_port, certificate=certificate, config=config)
