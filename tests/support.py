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
