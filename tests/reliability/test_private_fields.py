"""Across every page of the access matrix: no private field reaches someone not entitled.

The matrix rows name per-page private texts; this sweep adds the world-wide ones on
every GET page that answers 200: the groups' place and online link, every person's email
and every person's full name. A person's own email and name may appear on their own pages.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.access import load_matrix
from tests.reliability.conftest import report
from tests.world import ROLES

MATRIX = load_matrix()
# Roles that run nothing: they may see no one else's email or full name.
# Capability links that name a person on purpose: {row: why}. Emails stay checked.
NAMES_ON_PURPOSE = {
    "meetings:statement": "a signed attendance statement the member hands on; it names them",
}
PLAIN = [
    "anonymous",
    "outsider",
    "other_member",
    "pending",
    "on_break",
    "member",
    "other_organizer",
]


def world_private_texts(world) -> dict[str, set[str]]:
    """{text: roles entitled to see it}."""
    texts: dict[str, set[str]] = {}
    runs = {"facilitator", "organizer", "staff"}
    # Place and link: the group's active members and those who run it (both groups belong
    # to the world's organisation; the world's facilitator runs only `group`).
    seeing = {world.group: {"member", "facilitator"}, world.other_group: {"other_member"}}
    for group, roles in seeing.items():
        for text in (group.place, group.online_link):
            if text:
                texts[text] = roles | {"organizer", "staff"}
    for role, user in world.users.items():
        for text in (user.email, user.full_name):
            if text:
                texts[text] = runs | {role}
    return texts


def shows(body: str, text: str) -> bool:
    """`text` as a whole value: member@x is not found inside other_member@x."""
    return re.search(rf"(?<![\w.+-]){re.escape(text)}(?![\w-])", body) is not None


@pytest.mark.ignore_template_errors  # allauth's templates; the matrix test checks ours
def test_no_private_field_reaches_anyone_not_entitled(world, client):
    private = world_private_texts(world)
    rows = [r for r in MATRIX.rows.values() if r.method == "get"]
    problems, checked = [], 0
    for row in rows:
        url = reverse(row.name, args=row.args(world) if row.args else None)
        url = f"{url}?{row.query}" if row.query else url
        for role in PLAIN:
            client.logout()
            if role != "anonymous":
                client.force_login(world.users[role])
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            body = response.content.decode(errors="replace")
            problems += [
                f"{row.name} as {role}: shows {text!r}"
                for text, entitled in private.items()
                if role not in entitled
                and shows(body, text)
                and not (row.name in NAMES_ON_PURPOSE and "@" not in text)
            ]
    pages = len(MATRIX.rows) + len(MATRIX.families)
    report("reliability", f"{pages} URLs x {len(ROLES)} roles checked by the access matrix")
    report(
        "reliability",
        f"{checked} pages answered 200 to roles that run nothing, {len(private)} private "
        f"texts each, {len(problems)} leaks",
    )
    assert not problems, "\n".join(problems)
