"""Every URL of the project, requested as every role, against the access matrix."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peersupport.permissions import view_permission
from tests.access import LOGIN, Row, load_matrix
from tests.world import ROLES

MATRIX = load_matrix()
OUR_APPS = ("peersupport", "members", "groups", "sessions", "finders", "feedback", "space")


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, pattern.callback


def all_patterns():
    return list(walk(get_resolver().url_patterns))


def test_every_url_pattern_has_a_row_in_the_access_matrix():
    missing = []
    for path, name, _view in all_patterns():
        if any(path.startswith(family.prefix) for family in MATRIX.families):
            continue
        if not name or name not in MATRIX.rows:
            missing.append(f"{path} (name={name})")
    assert not missing, "URLs without an access-matrix row:\n" + "\n".join(missing)


def test_every_view_of_ours_declares_a_permission_rule():
    undeclared = [
        f"{path} -> {view.__module__}.{view.__name__}"
        for path, _name, view in all_patterns()
        if view.__module__.split(".")[0] in OUR_APPS and not view_permission(view)
    ]
    assert not undeclared, "views that skip the permission layer:\n" + "\n".join(undeclared)


def test_matrix_rows_name_real_urls():
    names = {name for _path, name, _view in all_patterns() if name}
    stale = sorted(set(MATRIX.rows) - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def _check_row(row: Row, world, client) -> list[str]:
    url = reverse(row.name, args=row.args(world) if row.args else None)
    if row.query:
        url = f"{url}?{row.query}"
    problems = []
    private = row.private(world) if row.private else {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        if row.method == "post":
            response = client.post(url, row.data(world) if row.data else {})
        else:
            response = client.get(url)
        expected = row.outcomes[role]
        got = response.status_code
        location = response.get("Location", "")
        if expected == LOGIN:
            if got != 302 or "/accounts/login/" not in location:
                problems.append(f"{role}: expected redirect to sign-in, got {got} {location}")
        elif got != expected:
            problems.append(f"{role}: expected {expected}, got {got} {location}")
        body = response.content.decode(errors="replace") if got == 200 else ""
        for text, entitled in private.items():
            if role not in entitled and text in body:
                problems.append(f"{role}: sees private text {text!r}")
    return problems


def _params():
    for row in MATRIX.rows.values():
        marks = [pytest.mark.ignore_template_errors] if row.third_party else []
        yield pytest.param(row, id=row.name, marks=marks)
    for family in MATRIX.families:
        yield pytest.param(family.sample, id=f"{family.prefix}*")


@pytest.mark.parametrize("row", list(_params()))
def test_access_matrix_row(row, world, client):
    problems = _check_row(row, world, client)
    assert not problems, f"{row.name}:\n" + "\n".join(problems)
