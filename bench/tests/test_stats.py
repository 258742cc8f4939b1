"""The arithmetic and the table of the benchmark's report, and how the
scenarios pair paths with sessions (no server, no database)."""

import pytest

from bench.scenarios import ANONYMOUS, AUTHENTICATED, _pairs
from bench.stats import Budget, Latency, Line, ServerTime, percentile, share_line, table

FLOOR = 4_000.0


def test_percentile_is_the_nearest_rank_of_a_time_really_measured():
    samples = [float(n) for n in range(100, 0, -1)]  # unordered on purpose

    assert percentile(samples, 0.95) == 95.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile(samples, 0.50) == 50.0
    assert percentile([3.0, 1.0, 2.0, 4.0], 0.5) == 2.0
    assert percentile([7.0], 0.99) == 7.0


def test_percentile_of_nothing_is_an_error_not_zero():
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 0.95)


def test_latency_takes_the_three_percentiles():
    latency = Latency.of([float(n) for n in range(1, 201)])

    assert (latency.p50, latency.p95, latency.p99) == (100.0, 190.0, 198.0)


def test_an_anonymous_page_meets_its_budget_at_a_quarter_of_the_floor_and_not_below():
    assert Line("home", 1_000.0, None, None, ANONYMOUS).verdict(FLOOR) is True
    assert Line("home", 999.0, None, None, ANONYMOUS).verdict(FLOOR) is False


def test_an_authenticated_page_must_also_answer_its_p95_in_time():
    fast = Line("mine", 500.0, Latency(20, 49.9, 60), None, AUTHENTICATED)
    slow = Line("mine", 500.0, Latency(20, 50.0, 60), None, AUTHENTICATED)

    assert fast.verdict(FLOOR) is True
    assert slow.verdict(FLOOR) is False


def test_a_page_answered_with_errors_misses_its_budget_however_fast():
    assert Line("home", 3_000.0, None, None, ANONYMOUS, errors=1).verdict(FLOOR) is False


def test_server_time_and_query_budgets_read_the_in_process_numbers():
    budget = Budget(server_median_ms=5, max_queries=8)

    assert Line("fixed", None, None, ServerTime(4.0, 9.0, 8), budget).verdict(FLOOR) is True
    assert Line("fixed", None, None, ServerTime(4.0, 9.0, 9), budget).verdict(FLOOR) is False
    assert Line("fixed", None, None, ServerTime(5.0, 9.0, 2), budget).verdict(FLOOR) is False
    assert Line("fixed", None, None, None, budget).verdict(FLOOR) is False


def test_a_line_without_budget_has_no_verdict_and_a_flow_no_floor_share():
    flow = Line("logins", 30.0, Latency(1, 2, 3), None, versus_floor=False)

    assert flow.verdict(FLOOR) is None
    assert flow.floor_share(FLOOR) is None


def test_the_table_has_a_row_per_line_with_its_share_budget_and_verdict():
    lines = [
        Line("national home /", 1_200.0, Latency(10, 20, 30), ServerTime(3.0, 4.0, 2), ANONYMOUS),
        Line("directory /annuaire/", 400.0, Latency(40, 80, 95), None, ANONYMOUS, errors=3),
    ]

    rows = table(lines, floor_rate=FLOOR).splitlines()

    assert len(rows) == 2 + len(lines)
    assert rows[2] == ("| national home / | 1,200.0 | 10.0 | 20.0 | 30.0 | 3.0 / 4.0 | 2 | 30.0% | ≥ 25% floor | yes |")
    assert rows[3].startswith("| directory /annuaire/ (3 errors) | 400.0 |")
    assert rows[3].endswith("| — | — | 10.0% | ≥ 25% floor | **NO** |")


def test_a_rate_against_a_reference_says_its_share_and_whether_it_is_enough():
    assert share_line("logins", 40.0, 50.0, 0.8) == ("logins: 40.0/s = 80% (budget ≥ 80%: yes)", True)
    assert share_line("sign-ups", 20.0, 50.0, 0.6) == ("sign-ups: 20.0/s = 40% (budget ≥ 60%: **NO**)", False)


def test_each_session_asks_for_each_path_and_neighbours_differ():
    pairs = _pairs(["/a", "/b"], ["s=1", "s=2", "s=3"])

    assert sorted(pairs) == sorted((path, cookie) for path in ["/a", "/b"] for cookie in ["s=1", "s=2", "s=3"])
    assert all(pairs[n] != pairs[n + 1] for n in range(len(pairs) - 1))
    assert _pairs(["/"], []) == [("/", "")]
