"""Every edit form starts from the current values: sent back untouched, it is accepted and
changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.support import form_as_rendered

# (url name, arguments, who edits, a field the form has)
EDIT_PAGES = [
    ("meetings:edit", lambda w: [w.meeting.pk], "facilitator", "start_time"),
    ("groups:edit", lambda w: [w.group.slug], "organizer", "name"),
    ("groups:organisation_edit", lambda w: [w.organisation.slug], "organizer", "name"),
    ("feedback:review_schedule", lambda w: [w.group.slug], "facilitator", "every_months"),
    ("members:profile", lambda w: [], "member", "display_name"),
    ("members:notifications", lambda w: [], "member", None),
    (
        "groups:agreement_template_edit",
        lambda w: [w.organisation.slug, "ground_rules"],
        "organizer",
        None,
    ),
]


def _values(obj) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in ("updated_at", "modified_at")
    }


@pytest.mark.parametrize("name,args,role,field", EDIT_PAGES, ids=[p[0] for p in EDIT_PAGES])
def test_edit_form_sent_back_untouched_is_accepted(world, client_for, name, args, role, field):
    client = client_for(world.users[role])
    url = reverse(name, args=args(world))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    if field is None:
        field = "csrfmiddlewaretoken"
    fields = form_as_rendered(html, containing=field)
    before = {"meeting": _values(world.meeting), "group": _values(world.group)}
    response = client.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    world.meeting.refresh_from_db()
    world.group.refresh_from_db()
    after = {"meeting": _values(world.meeting), "group": _values(world.group)}
    changed = {k: v for k, v in after["meeting"].items() if before["meeting"][k] != v}
    if name == "meetings:edit":
        # A single edit takes a meeting out of its series' later changes; nothing else moves.
        changed.pop("detached", None)
        changed.pop("version", None)
    assert not changed
    changed = {k: v for k, v in after["group"].items() if before["group"][k] != v}
    assert not changed
