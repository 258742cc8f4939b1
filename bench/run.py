"""`make bench`: the portal under load as production runs it, against the
framework's floor measured in the same run.

    python -m bench.run                    # 100,000 agents, 10 s per page
    BENCH_AGENTS=1000 python -m bench.run  # a quick run

What it does (bench/README.md tells the details):

1. drops and creates its own PostgreSQL database (``bench_alphasierra``, and
   ``bench_alphasierra_small`` for the logins at 1,000 accounts), migrates,
   generates the agents, activities, staff and content (``bench.prepare``);
   empties its own Redis database (14);
2. collects the static files into a temporary folder, then serves each
   scenario in-process once (``bench.inprocess``: server time, SQL queries);
3. measures the pure Argon2id rate (``bench.hashing``);
4. starts the portal under gunicorn (2 workers, DEBUG off, PostgreSQL, Redis,
   whitenoise, behind a simulated HTTPS proxy) and the floor view
   (``bench.floor``) the same way;
5. drives every page with wrk (2 threads, 32 connections, 10 s each), the
   floor before and after them, then the forms with ``bench.load``: logins,
   activity registrations, the opening day's 2,000 sign-ups;
6. prints the Markdown report and writes it under ``var/bench/``.

This module imports no Django: everything Django runs in its own process,
with the server's environment.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.scenarios import (
    BACKOFFICE_FIXED,
    BACKOFFICE_FIXED_NAME,
    LOGIN_SHARE,
    MEMORY_MB,
    SIGNUP_SHARE,
    pages,
)
from bench.stats import Budget, Latency, Line, ServerTime, share_line, table, verdict_text

BASE_DIR = Path(__file__).resolve().parents[1]
WRK_SCRIPT = BASE_DIR / "bench" / "wrk.lua"
REPORTS = BASE_DIR / "var" / "bench"
# The server's key for this run only: the sessions bench.prepare opens are signed with it.
SECRET_KEY = secrets.token_urlsafe(50)


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="The portal under load, against the framework's floor.")
    parser.add_argument("--agents", type=int, default=_env_int("BENCH_AGENTS", 100_000))
    parser.add_argument("--activities", type=int, default=_env_int("BENCH_ACTIVITIES", 2_000))
    parser.add_argument("--seconds", type=int, default=_env_int("BENCH_SECONDS", 10), help="of load per page")
    parser.add_argument("--connections", type=int, default=_env_int("BENCH_CONNECTIONS", 32))
    parser.add_argument("--threads", type=int, default=_env_int("BENCH_THREADS", 2), help="of wrk")
    parser.add_argument("--workers", type=int, default=_env_int("BENCH_WORKERS", 2), help="of gunicorn")
    parser.add_argument("--signups", type=int, default=_env_int("BENCH_SIGNUPS", 2_000))
    parser.add_argument(
        "--signup-seconds",
        type=int,
        default=_env_int("BENCH_SIGNUP_SECONDS", 300),
        help="the opening day stops after this long even if sign-ups are left (a busy machine)",
    )
    parser.add_argument("--runs", type=int, default=_env_int("BENCH_RUNS", 20), help="in-process, per page")
    parser.add_argument(
        "--small-agents",
        type=int,
        default=_env_int("BENCH_SMALL_AGENTS", 1_000),
        help="agents of the second database, for the logins against few accounts (0: none)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_alphasierra"),
        help="dropped and created again: never a database anyone uses",
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    args = parser.parse_args(argv)
    if not urlsplit(args.database_url).path.strip("/").startswith("bench"):
        parser.error("the benchmark drops its database: its name must start with « bench »")
    return args


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- Databases and processes -----------------------------------------------------------------------


def _server_url(database_url: str) -> str:
    return urlsplit(database_url)._replace(path="/postgres", query="").geturl()


def database_recreate(database_url: str, name: str, *, template: str | None = None, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(_server_url(database_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def postgres_version(database_url: str) -> str:
    import psycopg

    with psycopg.connect(database_url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def redis_empty(redis_url: str) -> None:
    """Rate-limit counters and cached pages of a previous run go: only the
    benchmark's own Redis database is emptied."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def flags(**values: object) -> list[str]:
    """Command-line options: ``flags(agents=10, plan=path)`` is
    ``["--agents", "10", "--plan", "<path>"]``."""
    return [part for name, value in values.items() for part in (f"--{name.replace('_', '-')}", str(value))]


def python(env: dict[str, str], *args: str, capture: bool = False) -> str:
    """A Python module or manage.py in its own process, with the server's environment."""
    result = subprocess.run(  # noqa: S603 - our own modules
        [sys.executable, *args], cwd=BASE_DIR, env=env, text=True, capture_output=capture, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout or ''}{result.stderr or ''}")
    return result.stdout or ""


@dataclass
class Server:
    """gunicorn serving one WSGI application on a port of 127.0.0.1."""

    application: str
    port: int
    workers: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Server":
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    self.application,
                    "-w",
                    str(self.workers),
                    "-b",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/", headers={"X-Forwarded-Proto": "https"})
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn {self.application} stopped:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(request, timeout=30):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn {self.application} did not answer:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def processes(self) -> list[int]:
        """The master, then its workers."""
        assert self.process is not None  # noqa: S101 - started
        master = self.process.pid
        workers = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                # "pid (comm) state ppid …": the command may hold spaces, not ")".
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    workers.append(int(entry.name))
        return [master, *sorted(workers)]


def memory_of(pid: int) -> tuple[float, float]:
    """Resident (RSS) and proportional (PSS: shared pages divided among the
    processes sharing them) memory of a process, in MB."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            pss = int(line.split()[1]) / 1024
    return rss, pss


# --- Load --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrkResult:
    rate: float
    latency: Latency
    errors: int


def wrk(port: int, requests: list[tuple[str, str]], args: argparse.Namespace, work: Path) -> WrkResult:
    listing = work / "requests.tsv"
    listing.write_text("".join(f"{path}\t{cookie}\n" if cookie else f"{path}\n" for path, cookie in requests))
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(WRK_SCRIPT),
        f"http://127.0.0.1:{port}",
        "--",
        str(listing),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    summary = json.loads(output.strip().splitlines()[-1])
    return WrkResult(
        rate=summary["requests"] / (summary["duration_us"] / 1e6),
        latency=Latency(summary["p50_us"] / 1000, summary["p95_us"] / 1000, summary["p99_us"] / 1000),
        errors=summary["unexpected"] + summary["socket_errors"] + summary["timeouts"],
    )


def drive(
    env: dict[str, str], port: int, out: Path, scenario: str, *options: str, clients: int, seconds: float | None
) -> dict[str, Any]:
    """A scenario of bench.load, in its own process; its outcome."""
    timing = flags(seconds=seconds) if seconds else []
    python(env, "-m", "bench.load", *flags(port=port, clients=clients, out=out), *timing, scenario, *options)
    return json.loads(out.read_text())


def _latency(data: dict[str, Any] | None) -> Latency | None:
    return Latency(**data) if data else None


def _server(data: dict[str, Any] | None) -> ServerTime | None:
    return ServerTime(**data) if data else None


# --- The run -----------------------------------------------------------------------------------------


@dataclass
class Results:
    started: datetime = field(default_factory=datetime.now)
    load_before: float = field(default_factory=lambda: os.getloadavg()[0])
    timings: list[tuple[str, float]] = field(default_factory=list)
    plan: dict[str, Any] = field(default_factory=dict)
    inprocess: dict[str, Any] = field(default_factory=dict)
    hashing: dict[str, Any] = field(default_factory=dict)
    floors: list[float] = field(default_factory=list)
    pages: dict[str, WrkResult] = field(default_factory=dict)
    flows: dict[str, dict[str, Any]] = field(default_factory=dict)
    memory: dict[str, list[tuple[int, float, float]]] = field(default_factory=dict)
    outbox_written: int = 0
    postgres: str = ""


def environment(args: argparse.Namespace, database_url: str, work: Path, port: int) -> dict[str, str]:
    """What a production host sets (README, « Production »), for this machine:
    DEBUG off, PostgreSQL, Redis, behind one HTTPS proxy that appends the
    client's address to X-Forwarded-For. No worker runs: e-mails stay in the
    outbox and the mail server (a closed port) is never reached."""
    ours = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "PORTAL_URL", "DJANGO_SETTINGS_MODULE"}
    env = {name: value for name, value in os.environ.items() if name not in ours}
    return env | {
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis_url,
        "VAR_DIR": str(work),
        "MEDIA_ROOT": str(work / "media"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_URL": f"https://127.0.0.1:{port}",
        "BEHIND_HTTPS_PROXY": "true",
        "TRUSTED_PROXY_COUNT": "1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(free_port()),
        "EMAIL_USE_TLS": "false",
        "LOG_LEVEL": "WARNING",
    }


def run(args: argparse.Namespace, work: Path) -> Results:
    results = Results()
    clock = time.perf_counter()

    def load(name: str, env: dict[str, str], port: int, *scenario: str, seconds: float | None) -> dict[str, Any]:
        return drive(env, port, work / f"{name}.json", *scenario, clients=args.connections, seconds=seconds)

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        results.timings.append((name, now - clock))
        clock = now

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (apt-get install wrk).")
    main_name = urlsplit(args.database_url).path.strip("/")
    small_name = f"{main_name}_small"
    small_url = urlsplit(args.database_url)._replace(path=f"/{small_name}").geturl()
    port, floor_port = free_port(), free_port()
    env = environment(args, args.database_url, work, port)
    results.postgres = postgres_version(_server_url(args.database_url))

    say(f"database {main_name}: created again, migrated")
    database_recreate(args.database_url, main_name)
    redis_empty(args.redis_url)
    python(env, "manage.py", "migrate", "--noinput", "--verbosity", "0")
    small = args.small_agents and args.small_agents < args.agents
    if small:
        database_recreate(args.database_url, small_name, template=main_name)
    step("migrate")

    say(f"data: {args.agents:,} agents, {args.activities:,} activities, staff, content, sessions")
    plan_path = work / "plan.json"
    python(env, "-m", "bench.prepare", "data", *flags(agents=args.agents, activities=args.activities, plan=plan_path))
    results.plan = json.loads(plan_path.read_text())
    step("data")
    if small:
        say(f"data of {small_name}: {args.small_agents:,} agents")
        small_env = env | {"DATABASE_URL": small_url}
        small_plan_path = work / "plan-small.json"
        python(
            small_env,
            "-m",
            "bench.prepare",
            "data",
            *flags(agents=args.small_agents, activities=0, plan=small_plan_path),
        )
        step("data (small)")

    say("collectstatic, then each scenario in-process")
    python(env, "manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    inprocess_path = work / "inprocess.json"
    python(env, "-m", "bench.inprocess", *flags(plan=plan_path, out=inprocess_path, runs=args.runs))
    results.inprocess = json.loads(inprocess_path.read_text())
    step("in-process")

    say("Argon2id alone")
    results.hashing = json.loads(python(env, "-m", "bench.hashing", *flags(processes=args.workers), capture=True))
    step("argon2")

    portal = Server("alphasierra.wsgi", port, args.workers, env, work / "portal.log")
    floor = Server("bench.floor:application", floor_port, args.workers, env, work / "floor.log")
    try:
        say(f"gunicorn: the portal on :{port}, the floor on :{floor_port}")
        portal.start()
        floor.start()
        say("floor")
        results.floors.append(wrk(floor_port, [("/", "")], args, work).rate)
        for page in pages(results.plan):
            say(page.name)
            results.pages[page.name] = wrk(port, page.requests, args, work)
        say("floor again")
        results.floors.append(wrk(floor_port, [("/", "")], args, work).rate)
        step("pages (wrk)")

        say("the load driver's own ceiling, on the floor view")
        results.flows["ceiling"] = load("ceiling", env, floor_port, "get", *flags(path="/"), seconds=5)
        accounts = work / "accounts.txt"
        accounts.write_text("\n".join(results.plan["login_accounts"]))
        say("full password logins")
        login = flags(accounts=accounts, password=results.plan["password"])
        results.flows["login"] = load("login", env, port, "login", *login, seconds=args.seconds)
        if results.plan["registrations"]:
            say("activity registrations")
            items = work / "registrations.tsv"
            items.write_text("".join(f"{cookie}\t{path}\n" for cookie, path in results.plan["registrations"]))
            registering = flags(items=items)
            results.flows["registration"] = load(
                "registration", env, port, "register", *registering, seconds=args.seconds
            )
        say(f"opening day: {args.signups:,} sign-ups")
        counts_before = json.loads(python(env, "-m", "bench.prepare", "count", capture=True))
        opening = flags(
            site=results.plan["largest_clas"], count=args.signups, prefix=f"ouverture-{secrets.token_hex(3)}"
        )
        results.flows["signup"] = load("signup", env, port, "signup", *opening, seconds=args.signup_seconds)
        counts_after = json.loads(python(env, "-m", "bench.prepare", "count", capture=True))
        results.outbox_written = counts_after["outbox"] - counts_before["outbox"]
        for name, server in (("portal", portal), ("floor", floor)):
            results.memory[name] = [(pid, *memory_of(pid)) for pid in server.processes()]
        step("forms (bench.load)")
    finally:
        portal.stop()
        floor.stop()

    if small:
        say(f"full password logins against {args.small_agents:,} accounts")
        small_env = env | {"DATABASE_URL": small_url}
        small_plan = json.loads(small_plan_path.read_text())
        accounts.write_text("\n".join(small_plan["login_accounts"]))
        redis_empty(args.redis_url)
        portal = Server("alphasierra.wsgi", port, args.workers, small_env, work / "portal-small.log")
        try:
            portal.start()
            login = flags(accounts=accounts, password=small_plan["password"])
            results.flows["login_small"] = load("login-small", small_env, port, "login", *login, seconds=args.seconds)
            results.flows["login_small"]["accounts"] = small_plan["agents"]
        finally:
            portal.stop()
        database_recreate(args.database_url, small_name, drop_only=True)
        step("logins (small database)")
    return results


# --- The report --------------------------------------------------------------------------------------


def _flow_line(name: str, flow: dict[str, Any] | None, server: dict[str, Any] | None) -> Line:
    if flow is None:
        return Line(name, None, None, _server(server), versus_floor=False)
    return Line(
        name, flow["rate"], _latency(flow["work_ms"]), _server(server), Budget(), flow["failures"], versus_floor=False
    )


def report(args: argparse.Namespace, results: Results) -> str:
    plan, inprocess, flows = results.plan, results.inprocess, results.flows
    floor = sum(results.floors) / len(results.floors)
    lines: list[Line] = []
    for page in pages(plan):
        measured = results.pages[page.name]
        lines.append(
            Line(
                page.name,
                measured.rate,
                measured.latency,
                _server(inprocess["pages"][page.name]),
                page.budget,
                errors=measured.errors,
            )
        )
    lines.append(
        Line(BACKOFFICE_FIXED_NAME, None, None, _server(inprocess["pages"][BACKOFFICE_FIXED_NAME]), BACKOFFICE_FIXED)
    )
    lines.append(
        _flow_line("full login: GET form + POST (logins/s; times of the POST)", flows.get("login"), inprocess["login"])
    )
    lines.append(
        _flow_line(
            "activity registration: GET + 2 POST (registrations/s; times of the confirming POST)",
            flows.get("registration"),
            inprocess.get("registration"),
        )
    )
    lines.append(
        _flow_line("sign-up: GET form + POST (sign-ups/s; times of the POST)", flows.get("signup"), inprocess["signup"])
    )

    argon2 = results.hashing
    verdicts: list[bool | None] = [line.verdict(floor) for line in lines]
    out = [
        f"# Alpha Sierra under load — {results.started:%Y-%m-%d %H:%M}",
        "",
        f"{plan['agents']:,} agents, {args.activities:,} activities; largest CLAS {plan['largest_clas']}. "
        f"gunicorn {args.workers} workers, DEBUG off, PostgreSQL {results.postgres}, Redis; "
        f"wrk {args.threads} threads, {args.connections} connections, {args.seconds} s per page; "
        f"{os.cpu_count()} cores, load average {results.load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end (other work on the machine shows in the p95 first).",
        "",
        "Floor (a minimal Django view, same gunicorn): "
        + ", ".join(f"{rate:,.0f}" for rate in results.floors)
        + f" requests/s (before and after the pages); ratios use their mean, {floor:,.0f}/s.",
        "",
        "Requests/s and p50/p95/p99 are the load generator's (wrk; bench.load for the forms); server ms and "
        "queries are one request served in-process (Django's test client, same database), queries counted "
        "with CaptureQueriesContext.",
        "",
        table(lines, floor_rate=floor),
        "",
        f"## Passwords (Argon2id, {argon2['parameters']})",
        "",
        f"- Pure verification rate, {argon2['processes']} processes: {argon2['rate']:,.1f}/s "
        f"({argon2['ms_each']:.1f} ms each).",
    ]
    for key, label in (("login", f"{plan['agents']:,} accounts"), ("login_small", "")):
        flow = flows.get(key)
        if flow is None:
            continue
        label = label or f"{flow['accounts']:,} accounts"
        text, verdict = share_line(f"Full password logins, {label}", flow["rate"], argon2["rate"], LOGIN_SHARE)
        verdicts.append(verdict)
        out.append(f"- {text} of the Argon2id rate; {flow['flows']:,} logins, {flow['failures']} failed.")
    crowded, fresh = inprocess["login_crowded"], inprocess["login_fresh"]
    out.append(
        f"- Login of an account holding {plan['crowded_sessions']} open sessions (in-process, median of 5): "
        f"{crowded['median_ms']:.1f} ms, {crowded['queries']} queries; of an account with none: "
        f"{fresh['median_ms']:.1f} ms, {fresh['queries']} queries."
    )
    signup = flows.get("signup")
    if signup:
        text, verdict = share_line("Opening day, sign-ups", signup["rate"], argon2["rate"], SIGNUP_SHARE)
        verdicts.append(verdict)
        # A check of the run rather than a budget: printed, not counted below.
        outbox_ok = results.outbox_written == signup["flows"]
        stopped = (
            f" (stopped at the {args.signup_seconds} s cap)"
            if signup["flows"] + signup["failures"] < args.signups
            else ""
        )
        out.append(
            f"- {text} of the Argon2id rate: {signup['flows']:,} of {args.signups:,} sign-ups in "
            f"{signup['seconds']:.1f} s{stopped}, {signup['failures']} failed; outbox rows written: "
            f"{results.outbox_written:,}, one per sign-up: {verdict_text(outbox_ok)}."
        )

    out += ["", "## Register search, query by query (in-process, largest CLAS)", ""]
    out += ["| query | server ms (median / p95) | queries |", "|---|--:|--:|"]
    for query, timing in inprocess["register_by_query"].items():
        out.append(f"| `{query}` | {timing['median_ms']:.1f} / {timing['p95_ms']:.1f} | {timing['queries']} |")

    out += ["", "## Memory after the run", ""]
    for name, processes in results.memory.items():
        total_pss = sum(pss for _, _, pss in processes)
        parts = ", ".join(
            f"{'master' if i == 0 else 'worker'} {rss:.0f} MB" for i, (_, rss, _pss) in enumerate(processes)
        )
        if name == "portal":
            verdict = total_pss < MEMORY_MB
            verdicts.append(verdict)
            wanted = f" (budget < {MEMORY_MB} MB: {verdict_text(verdict)})"
        else:
            wanted = ""
        out.append(f"- {name}: resident {parts}; {total_pss:.0f} MB in all (PSS, shared pages counted once){wanted}.")

    ceiling = flows.get("ceiling")
    out += ["", "## The load driver (bench.load)", ""]
    if ceiling:
        out.append(
            f"- Its ceiling on the floor view: {ceiling['rate']:,.0f} requests/s with {ceiling['clients']} threads "
            f"({ceiling['rate'] / floor:.0%} of wrk's floor), far above the rates of the forms it drives."
        )
    for key in ("login", "registration", "signup", "login_small"):
        flow = flows.get(key)
        if flow:
            share = flow["driver_cpu_seconds"] / flow["seconds"]
            out.append(
                f"- {key}: {flow['requests']:,} requests in {flow['seconds']:.1f} s, the driver used "
                f"{flow['driver_cpu_seconds']:.1f} s of CPU ({share:.0%} of one core)."
            )
            for sample in flow["failure_samples"]:
                out.append(f"  - failed: {sample}")

    met = [verdict for verdict in verdicts if verdict is not None]
    out += [
        "",
        f"Budgets met: {sum(met)} of {len(met)}.",
        "",
        "Steps: "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in results.timings)
        + f"; {platform.python_implementation()} {platform.python_version()}.",
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = options(argv)
    work = Path(tempfile.mkdtemp(prefix="alphasierra-bench-"))
    started = time.perf_counter()
    try:
        results = run(args, work)
    except BaseException:
        print(f"Logs and files of the run kept in {work}", file=sys.stderr)
        raise
    text = report(args, results)
    REPORTS.mkdir(parents=True, exist_ok=True)
    path = REPORTS / f"bench-{results.started:%Y%m%d-%H%M%S}.md"
    path.write_text(text)
    shutil.rmtree(work, ignore_errors=True)
    print()
    print(text)
    say(f"report written to {path.relative_to(BASE_DIR)} ({(time.perf_counter() - started) / 60:.1f} min in all)")


if __name__ == "__main__":
    main()
