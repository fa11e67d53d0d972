"""Small helpers shared by tests."""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

IN_CI = bool(os.environ.get("CI"))


def skip_or_fail(reason: str) -> None:
    """Locally a missing service skips the test with a reason; in CI it is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def _sql_listing(captured: CaptureQueriesContext) -> str:
    return "\n".join(f"  {i}. {q['sql']}" for i, q in enumerate(captured.captured_queries, 1))


@contextmanager
def max_queries(limit: int):
    """Fail, printing every captured SQL statement, when the block runs more than `limit`."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    if len(captured) > limit:
        pytest.fail(f"{len(captured)} queries, budget {limit}:\n{_sql_listing(captured)}")


def assert_constant_queries(fetch, grow, *, limit: int) -> None:
    """`fetch()` must run the same number of queries before and after `grow()` adds rows."""
    with CaptureQueriesContext(connection) as small:
        fetch()
    grow()
    with CaptureQueriesContext(connection) as large:
        fetch()
    if len(small) != len(large):
        pytest.fail(
            f"query count grew with the data: {len(small)} -> {len(large)}\n"
            f"with few rows:\n{_sql_listing(small)}\nwith many rows:\n{_sql_listing(large)}"
        )
    if len(large) > limit:
        pytest.fail(f"{len(large)} queries, budget {limit}:\n{_sql_listing(large)}")
