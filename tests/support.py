"""Small helpers shared by tests."""

from __future__ import annotations

import os
from contextlib import contextmanager
from html.parser import HTMLParser

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


def cache_empty(*, keep_sessions: bool = False) -> None:
    """Delete this test run's cache entries (its private KEY_PREFIX), nothing else in Redis.

    With `keep_sessions` the signed-in sessions stay: the next request then takes the cold
    path a signed-in person gets after every entry it reads was renewed.
    """
    from django.core.cache import cache

    assert cache.key_prefix, "the test run needs a private cache prefix"
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keep_sessions:
        keys = [key for key in keys if b":django.contrib.sessions." not in key]
    if keys:
        client.unlink(*keys)


def _count(fetch) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return captured


def assert_constant_queries(fetch, grow, *, limit: int, warm_limit: int | None = None) -> None:
    """`fetch()` must run the same number of queries before and after `grow()` adds rows,
    on the cold path (an empty cache) within `limit` and on the warm path (the same request
    again, as users mostly get it) within `warm_limit` (default `limit`); warm never costs
    more than cold."""
    cache_empty(keep_sessions=True)
    small_cold, small_warm = _count(fetch), _count(fetch)
    grow()
    cache_empty(keep_sessions=True)
    large_cold, large_warm = _count(fetch), _count(fetch)
    if os.environ.get("SHOW_QUERY_COUNTS"):
        print(f"\nqueries: cold {len(large_cold)}, warm {len(large_warm)}")
    paths = (("cold", small_cold, large_cold, limit), ("warm", small_warm, large_warm, warm_limit))
    for path, small, large, budget in paths:
        budget = limit if budget is None else budget
        if len(small) != len(large):
            pytest.fail(
                f"{path} path: query count grew with the data: {len(small)} -> {len(large)}\n"
                f"with few rows:\n{_sql_listing(small)}\nwith many rows:\n{_sql_listing(large)}"
            )
        if len(large) > budget:
            listing = _sql_listing(large)
            pytest.fail(f"{path} path: {len(large)} queries, budget {budget}:\n{listing}")
    if len(large_warm) > len(large_cold):
        pytest.fail(
            f"the warm path costs more than the cold one: {len(large_warm)} > {len(large_cold)}\n"
            f"{_sql_listing(large_warm)}"
        )
    if len(large) > limit:
        pytest.fail(f"{len(large)} queries, budget {limit}:\n{_sql_listing(large)}")


class _FormReader(HTMLParser):
    """What a browser would submit from each <form> on a page, left as it was rendered."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": {}}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                fields[self._select] = [value]
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            # A select with no option marked selected submits its first option.
            self._form["fields"].setdefault(self._select, [self._select_first or ""])
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            fields = self._form["fields"]
            # Browsers drop one newline straight after <textarea>.
            fields[self._textarea][-1] += data if fields[self._textarea][-1] else data.lstrip("\n")


def form_as_rendered(html: str, *, containing: str) -> dict[str, str | list[str]]:
    """The fields of the first form that has a field named `containing`, as a browser fills them.

    Single values come back as strings, repeated names (checkboxes) as lists.
    """
    reader = _FormReader()
    reader.feed(html)
    for form in reader.forms:
        if containing in form["fields"]:
            return {k: v[0] if len(v) == 1 else v for k, v in form["fields"].items()}
    raise AssertionError(f"no form with a field {containing!r} on the page")


def meeting_edit(meeting, *, by, **changes):
    """The facilitator's edit of one meeting through its service, changing only `changes`
    (detail fields such as capacity or topic); everything else keeps its current value."""
    import zoneinfo

    from sessions.services import meetings

    local = meeting.starts_at.astimezone(zoneinfo.ZoneInfo(meeting.time_zone))
    fields = {
        "topic": meeting.topic,
        "format": meeting.format,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "capacity": meeting.capacity,
        "online_capacity": meeting.online_capacity,
        "facilitator_id": meeting.facilitator_id,
    }
    return meetings.meeting_update(
        meeting=meeting,
        by=by,
        day=local.date(),
        start_time=local.time(),
        duration_minutes=int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
        details=meetings.MeetingDetails(**{**fields, **changes}),
    )
