"""The query plans of PostgreSQL, for the tests that guard what a request
reads (``EXPLAIN``, never ``ANALYZE``: nothing is run)."""

from collections.abc import Collection, Iterator
from typing import Any

from django.db import connection


def whole_table_reads(queries: list[dict[str, str]], *, tables: Collection[str]) -> tuple[int, list[str]]:
    """How many of ``queries`` (as ``CaptureQueriesContext`` records them)
    read, update or delete in one of ``tables``, and those of them whose
    PostgreSQL plan may read one of the tables whole, each with its plan: a
    scan of the table without an index condition, whether a Seq Scan or an
    index walked in order and filtered row by row. EXPLAIN alone runs nothing.
    """
    checked, whole = 0, []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip("( ").upper().startswith(("SELECT", "UPDATE", "DELETE")):
                continue
            if not any(f'"{table}"' in sql for table in tables):
                continue
            checked += 1
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            [[document]] = cursor.fetchall()
            if any(_reads_whole(node, tables) for node in _plan_nodes(document[0]["Plan"])):
                cursor.execute(f"EXPLAIN {sql}")
                whole.append("\n".join([sql, *(row[0] for row in cursor.fetchall())]))
    return checked, whole


def _plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def _reads_whole(node: dict[str, Any], tables: Collection[str]) -> bool:
    # A bitmap heap scan reads only the rows its bitmap index scan found.
    scan = node["Node Type"].endswith("Scan") and node["Node Type"] != "Bitmap Heap Scan"
    return scan and node.get("Relation Name") in tables and "Index Cond" not in node
