"""The numbers of a benchmark run and the Markdown report made of them.

Plain Python, no Django: the load driver, the in-process timings and the
command that assembles the report all use it, and its tests need no server.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: with 50 samples the p95 is the 48th fastest, a
    time that was really measured (no interpolation between two)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True)
class Latency:
    """Client-side latency of the requests of a load run, in milliseconds."""

    p50: float
    p95: float
    p99: float

    @classmethod
    def of(cls, samples_ms: Sequence[float]) -> "Latency":
        return cls(p50=percentile(samples_ms, 0.50), p95=percentile(samples_ms, 0.95), p99=percentile(samples_ms, 0.99))


@dataclass(frozen=True)
class ServerTime:
    """One page served in-process (Django's test client, no network): the
    server's own time and its number of SQL queries."""

    median_ms: float
    p95_ms: float
    queries: int


@dataclass(frozen=True)
class Budget:
    """What a line must reach (section « Budgets » of bench/README.md); None
    where that line has no such budget."""

    floor_share: float | None = None  # requests/s over the floor's
    p95_ms: float | None = None  # client-side p95 at the run's connections
    server_p95_ms: float | None = None  # in-process p95
    server_median_ms: float | None = None  # in-process median
    max_queries: int | None = None  # in-process, per request

    def describe(self) -> str:
        parts = []
        if self.floor_share is not None:
            parts.append(f"≥ {self.floor_share:.0%} floor")
        if self.p95_ms is not None:
            parts.append(f"p95 < {self.p95_ms:g} ms")
        if self.server_p95_ms is not None:
            parts.append(f"server p95 < {self.server_p95_ms:g} ms")
        if self.server_median_ms is not None:
            parts.append(f"server < {self.server_median_ms:g} ms")
        if self.max_queries is not None:
            parts.append(f"≤ {self.max_queries} queries")
        return ", ".join(parts) or "—"


@dataclass(frozen=True)
class Line:
    """One line of the report's table: a page (or a flow of several requests)
    under load, and the same page served in-process."""

    name: str
    rate: float | None  # requests (or flows) per second under load
    latency: Latency | None
    server: ServerTime | None
    budget: Budget = field(default_factory=Budget)
    errors: int = 0  # responses that were not what a person gets (wrong status, missing page)
    # A flow of several requests with a password to hash is not compared with
    # the floor's single GET (its budget is a share of the Argon2id rate).
    versus_floor: bool = True

    def floor_share(self, floor_rate: float) -> float | None:
        if self.rate is None or floor_rate <= 0 or not self.versus_floor:
            return None
        return self.rate / floor_rate

    def verdict(self, floor_rate: float) -> bool | None:
        """True when every budget of the line is met, False when one is not,
        None when the line has none."""
        checks: list[bool] = []
        budget = self.budget
        share = self.floor_share(floor_rate)
        if budget.floor_share is not None:
            checks.append(share is not None and share >= budget.floor_share)
        if budget.p95_ms is not None:
            checks.append(self.latency is not None and self.latency.p95 < budget.p95_ms)
        if budget.server_p95_ms is not None:
            checks.append(self.server is not None and self.server.p95_ms < budget.server_p95_ms)
        if budget.server_median_ms is not None:
            checks.append(self.server is not None and self.server.median_ms < budget.server_median_ms)
        if budget.max_queries is not None:
            checks.append(self.server is not None and self.server.queries <= budget.max_queries)
        if not checks:
            return None
        return all(checks) and self.errors == 0


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def verdict_text(verdict: bool | None) -> str:
    return {True: "yes", False: "**NO**", None: "—"}[verdict]


def table(lines: Iterable[Line], *, floor_rate: float) -> str:
    """The Markdown table of the report, one row per line."""
    rows = [
        "| page | requests/s | p50 ms | p95 ms | p99 ms | server ms (median / p95) | queries | floor | budget | met |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for line in lines:
        latency, server = line.latency, line.server
        share = line.floor_share(floor_rate)
        name = line.name if not line.errors else f"{line.name} ({line.errors} errors)"
        rows.append(
            "| "
            + " | ".join(
                [
                    name,
                    _number(line.rate),
                    _number(latency.p50 if latency else None),
                    _number(latency.p95 if latency else None),
                    _number(latency.p99 if latency else None),
                    f"{server.median_ms:.1f} / {server.p95_ms:.1f}" if server else "—",
                    str(server.queries) if server else "—",
                    "—" if share is None else f"{share:.1%}",
                    line.budget.describe(),
                    verdict_text(line.verdict(floor_rate)),
                ]
            )
            + " |"
        )
    return "\n".join(rows)


def share_line(label: str, rate: float, reference: float, budget: float | None) -> tuple[str, bool | None]:
    """A rate against a reference rate measured in the same run, and whether
    its share meets the budget: « logins 20.1/s = 71 % of Argon2id ... »."""
    share = rate / reference if reference > 0 else 0.0
    verdict = None if budget is None else share >= budget
    wanted = "" if budget is None else f" (budget ≥ {budget:.0%}: {verdict_text(verdict)})"
    return f"{label}: {rate:,.1f}/s = {share:.0%}{wanted}", verdict
