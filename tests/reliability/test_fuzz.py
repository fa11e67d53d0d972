"""Hostile input: generated form data and query strings never cause a server error.

Form URLs are discovered from the URL conf (every view that accepts POST) and built with
the access matrix's arguments, so a new form is fuzzed without editing this file. Each is
submitted as a member, a facilitator, an organizer and an outsider. When a submission is
rejected (the form comes back with errors) no row of our tables has changed.
"""

from __future__ import annotations

import string
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access import load_matrix
from tests.reliability.conftest import report
from tests.test_access_matrix import all_patterns

MATRIX = load_matrix()
ROLES = ["member", "facilitator", "organizer", "outsider"]
OUR_APPS = ("peersupport", "members", "groups", "sessions", "feedback", "safety", "space")
EXAMPLES = 2
TALLY = {"inputs": 0, "server_errors": 0, "rejected_unchanged": 0}

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "' OR 1=1 --",
    "'; DROP TABLE members_user; --",
    "1; SELECT pg_sleep(0)",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "25:61",
    "Mars/Olympus_Mons",
    "../../etc/passwd",
    "%s%s%n",
    "-1",
    "0",
    "9" * 40,
    "1e308",
    "NaN",
    "true",
    "",
    "   ",
    "nul\x00byte",
    "\u202eevil\u202c",
    "👩‍👩‍👧‍👦" * 20,
    "ẞ̴̛̛̛̯̫͎",
    "https://evil.example/" + "a" * 300,
    "javascript:alert(1)",
]
EXTRA_FIELDS = ["id", "pk", "user", "organisation", "is_staff", "status", "role", "csrf"]
CSRF = "csrfmiddlewaretoken"
QUERY_KEYS = ["page", "q", "org", "next", "date", "month", "week", "status", "topic", "tz"]


def hostile_text():
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.text(alphabet=string.printable, max_size=20),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.integers(min_value=2_000, max_value=200_000).map(lambda n: "x" * n),
        st.dates().map(str),
    )


# A value is one string, several (a list: wrong type for a single field), or absent.
VALUE = st.one_of(hostile_text(), st.lists(hostile_text(), min_size=2, max_size=3))


class _Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag in {"input", "select", "textarea", "button"} and name not in {None, "", CSRF}:
            self.names.add(name)


def form_fields(html: str) -> list[str]:
    parser = _Fields()
    parser.feed(html)
    return sorted(parser.names)


def _form_rows():
    seen = []
    for _path, name, view in all_patterns():
        if not name or name not in MATRIX.rows or view.__module__.split(".")[0] not in OUR_APPS:
            continue
        view_class = getattr(view, "view_class", None)
        if view_class is not None and not hasattr(view_class, "post"):
            continue
        seen.append(MATRIX.rows[name])
    return seen


def _get_rows():
    return [row for row in MATRIX.rows.values() if row.method == "get" and not row.third_party]


def our_counts() -> dict[str, int]:
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {a.split(".")[0] for a in OUR_APPS} | {"members"}
        and not m._meta.proxy
        and "log" not in m.__name__.lower()
    ]
    # One UNION ALL query instead of one COUNT per table: this runs twice per input.
    sql = " UNION ALL ".join(
        f"SELECT '{m.__name__}', COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)}"  # noqa: S608
        for m in models  # table names come from our models, not from input
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _looks_rejected(response) -> bool:
    if response.status_code not in (200, 400):
        return False
    body = response.content.decode(errors="replace")
    return "invalid-feedback" in body or "errorlist" in body or 'aria-invalid="true"' in body


def _submit(client, url, data, tried):
    TALLY["inputs"] += 1
    tried.append(data)
    try:
        response = client.post(url, data)
    except Exception as exc:  # the test client re-raises what would be a 500
        TALLY["server_errors"] += 1
        return None, f"{type(exc).__name__}: {exc}"
    if response.status_code >= 500:
        TALLY["server_errors"] += 1
        return response, f"status {response.status_code}"
    return response, None


def _fuzz_form(client, url, fields, problems):
    tried: list[dict] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        data=st.fixed_dictionaries({}, optional=dict.fromkeys(fields, VALUE)),
        extra=st.dictionaries(st.sampled_from(EXTRA_FIELDS), hostile_text(), max_size=2),
    )
    def run(data, extra):
        payload = {**data, **extra}
        before = our_counts()
        response, error = _submit(client, url, payload, tried)
        if error:
            problems.append(f"POST {url} {sorted(payload)} -> {error}")
        elif _looks_rejected(response) and our_counts() != before:
            after = our_counts()
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            problems.append(f"POST {url} rejected but changed {changed}")
        elif _looks_rejected(response):
            TALLY["rejected_unchanged"] += 1

    run()
    print(f"fuzz {url}: {len(tried)} inputs, keys tried {sorted({k for d in tried for k in d})}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module (building it per URL would cost minutes in CI).

    Each test still runs in its own savepoint (`db`), so what one submission changes is
    rolled back before the next URL; the outer transaction is rolled back at the end.
    """
    from tests.world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.parametrize("row", _form_rows(), ids=lambda row: row.name)
def test_forms_survive_hostile_input(row, world, db, client):
    url = reverse(row.name, args=row.args(world) if row.args else None)
    problems: list[str] = []
    for role in ROLES:
        client.logout()
        client.force_login(world.users[role])
        page = client.get(url)
        fields = (
            form_fields(page.content.decode(errors="replace")) if page.status_code == 200 else []
        )
        if row.data:
            fields = sorted(set(fields) | set(row.data(world)))
        _fuzz_form(client, url, fields, problems)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["anonymous", "member", "organizer"])
def test_query_strings_survive_hostile_input(role, world, db, client):
    if role != "anonymous":
        client.force_login(world.users[role])
    urls = [reverse(r.name, args=r.args(world) if r.args else None) for r in _get_rows()]
    problems: list[str] = []

    @settings(max_examples=1, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.sampled_from(QUERY_KEYS), hostile_text(), min_size=1, max_size=3))
    def run(query):
        for url in urls:
            TALLY["inputs"] += 1
            try:
                response = client.get(url, {k: v[:2000] for k, v in query.items()})
            except Exception as exc:
                TALLY["server_errors"] += 1
                problems.append(f"GET {url} {query!r:.200} -> {type(exc).__name__}: {exc}")
                continue
            if response.status_code >= 500:
                TALLY["server_errors"] += 1
                problems.append(f"GET {url} {query!r:.200} -> {response.status_code}")

    run()
    assert not problems, "\n".join(problems)


# Raw, already percent-encoded pieces of a URL: NUL, invalid UTF-8 (a lone continuation
# byte, a truncated sequence, an encoded surrogate, an overlong encoding) and hostile text.
RAW_INVALID = ["%00", "%FF", "%FF%FE", "%C3%28", "%ED%A0%80", "%C0%AF", "a%00b", "%E2%82"]


def raw_piece():
    return st.one_of(
        st.sampled_from(RAW_INVALID),
        hostile_text().map(lambda text: quote(text[:3000], safe="")),
        st.lists(st.sampled_from(RAW_INVALID), min_size=2, max_size=4).map("".join),
    )


MARK = "zzfuzzmarkzz"
NUMBER_MARK = "4242424242"


def _anonymous_templates(world) -> list[str]:
    """Each anonymous page's address with one path argument replaced by a marker."""
    templates = []
    for row in _get_rows():
        if not row.args:
            continue
        args = row.args(world)
        for i in range(len(args)):
            for mark in (MARK, NUMBER_MARK):
                try:
                    url = reverse(row.name, args=[*args[:i], mark, *args[i + 1 :]])
                except NoReverseMatch:
                    continue
                templates.append(url.replace(mark, "{}"))
                break
    return templates


def _get_raw(client, url, problems):
    TALLY["inputs"] += 1
    try:
        response = client.get(url)
    except Exception as exc:  # the test client re-raises what would be a 500
        TALLY["server_errors"] += 1
        problems.append(f"GET {url:.200} -> {type(exc).__name__}: {exc}")
        return
    if response.status_code >= 500:
        TALLY["server_errors"] += 1
        problems.append(f"GET {url:.200} -> {response.status_code}")


def test_path_arguments_survive_nul_and_invalid_utf8(world, db, client):
    """Every path argument of every page, as a visitor: NUL, invalid UTF-8, hostile text."""
    templates = _anonymous_templates(world)
    assert templates
    problems: list[str] = []

    @settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(raw_piece())
    def run(piece):
        for template in templates:
            _get_raw(client, template.format(piece), problems)

    for piece in RAW_INVALID:  # each of these at least once, whatever hypothesis draws
        for template in templates:
            _get_raw(client, template.format(piece), problems)
    run()
    assert not problems, "\n".join(problems)


def test_query_parameters_survive_nul_and_invalid_utf8(world, db, client):
    """Every query parameter a page reads, as a visitor, with raw NUL and invalid UTF-8."""
    urls = [reverse(r.name, args=r.args(world) if r.args else None) for r in _get_rows()]
    problems: list[str] = []

    @settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.sampled_from(QUERY_KEYS), raw_piece(), min_size=1, max_size=3))
    def run(query):
        for url in urls:
            _get_raw(client, url + "?" + "&".join(f"{k}={v}" for k, v in query.items()), problems)

    for piece in RAW_INVALID:
        for url in urls:
            query = "&".join(f"{key}={piece}" for key in QUERY_KEYS)
            _get_raw(client, f"{url}?{query}&{piece}=1", problems)
    run()
    assert not problems, "\n".join(problems)


def test_zz_fuzz_summary():
    """Runs last in this module: the figure for CI output."""
    report(
        "fuzz",
        f"{TALLY['inputs']} inputs tried, {TALLY['server_errors']} server errors, "
        f"{TALLY['rejected_unchanged']} rejected with state unchanged",
    )
