"""Agendas: editing with htmx, two editors at once, totals, templates and defaults."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sessions import agenda_defaults
from sessions.models import AgendaItem, AgendaTemplate, AgendaTemplateItem, Meeting
from sessions.services import agenda as agenda_services
from tests.factories import MeetingFactory, PeerGroupFactory
from tests.support import assert_constant_queries

HTMX = {"HTTP_HX_REQUEST": "true"}


def add_items(meeting: Meeting, *specs: tuple[str, int]) -> list[AgendaItem]:
    items = [
        AgendaItem.objects.create(meeting=meeting, position=i, title=title, minutes=minutes)
        for i, (title, minutes) in enumerate(specs)
    ]
    return items


def titles(meeting: Meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def version_of(meeting: Meeting) -> int:
    meeting.refresh_from_db()
    return meeting.agenda_version


@pytest.fixture
def meeting(world):
    return world.meeting


@pytest.fixture
def as_facilitator(client_for, world):
    return client_for(world.users["facilitator"])


# --- The page and its htmx actions ------------------------------------------------------
def test_agenda_page_shows_items_running_total_and_meeting_length(as_facilitator, meeting):
    add_items(meeting, ("Check-in", 15), ("Sharing", 30))
    response = as_facilitator.get(reverse("meetings:agenda", args=[meeting.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Check-in" in body and "Sharing" in body
    assert "45 of 90 minutes planned." in body
    assert "45 minutes to spare." in body


def test_only_remove_asks_to_confirm_moving_never_does(as_facilitator, meeting):
    """A browser shows hx-confirm as a dialog: a move that asked "Remove …?" would
    frighten the facilitator and, dismissed, move nothing."""
    add_items(meeting, ("Check-in", 15), ("Sharing", 30), ("Close", 10))
    body = as_facilitator.get(reverse("meetings:agenda", args=[meeting.pk])).content.decode()
    forms = body.split("<form")[1:]
    moves = [f for f in forms if 'name="direction"' in f]
    removes = [f for f in forms if "/delete/" in f.split(">")[0]]
    assert len(moves) == 4 and len(removes) == 3
    assert not any("hx-confirm" in f.split(">")[0] for f in moves)
    assert all("hx-confirm" in f.split(">")[0] for f in removes)


def test_agenda_item_add_with_htmx_returns_the_updated_editor(as_facilitator, meeting):
    url = reverse("meetings:agenda_item_add", args=[meeting.pk])
    response = as_facilitator.post(
        url,
        {"agenda_version": 0, "title": "Opening", "objective": "Arrive", "minutes": 10},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="agenda-editor"' in body and "<html" not in body
    assert "Opening" in body and "10 of 90 minutes planned." in body
    assert titles(meeting) == ["Opening"]
    assert version_of(meeting) == 1


@pytest.mark.parametrize("minutes", ["0", "-5"])
def test_agenda_item_add_without_positive_minutes_is_a_form_error(as_facilitator, meeting, minutes):
    url = reverse("meetings:agenda_item_add", args=[meeting.pk])
    response = as_facilitator.post(
        url, {"agenda_version": 0, "title": "Break", "minutes": minutes}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give each agenda item at least one minute." in body
    assert 'value="Break"' in body, "what was typed is kept"
    assert not meeting.agenda_items.exists()


def test_agenda_item_add_without_js_redirects_with_a_message(as_facilitator, meeting):
    url = reverse("meetings:agenda_item_add", args=[meeting.pk])
    response = as_facilitator.post(
        url, {"agenda_version": 0, "title": "Opening", "minutes": 10}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("meetings:agenda", args=[meeting.pk])
    assert "Added “Opening” to the agenda." in response.content.decode()


def test_agenda_longer_than_the_meeting_warns_and_mentions_flexible_items(as_facilitator, meeting):
    add_items(meeting, ("Sharing", 60), ("Topic", 40))
    AgendaItem.objects.filter(title="Topic").update(flexible=True)
    body = as_facilitator.get(reverse("meetings:agenda", args=[meeting.pk])).content.decode()
    assert "The agenda is 10 minutes longer than the meeting." in body
    assert "Flexible items (40 minutes) could be shortened on the day." in body


def test_agenda_item_edit_form_then_save(as_facilitator, meeting):
    (item,) = add_items(meeting, ("Check-in", 15))
    url = reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk])
    form = as_facilitator.get(url, **HTMX).content.decode()
    assert "Edit “Check-in”" in form and 'value="15"' in form
    response = as_facilitator.post(
        url,
        {
            "agenda_version": version_of(meeting),
            "title": "Arrivals",
            "minutes": 20,
            "flexible": "on",
        },
        **HTMX,
    )
    assert "Saved “Arrivals”." in response.content.decode()
    item.refresh_from_db()
    assert (item.title, item.minutes, item.flexible) == ("Arrivals", 20, True)


def test_agenda_item_move_up_and_down_by_keyboard_buttons(as_facilitator, meeting):
    first, _second, third = add_items(meeting, ("A", 5), ("B", 5), ("C", 5))
    move = reverse("meetings:agenda_item_move", args=[meeting.pk, third.pk])
    response = as_facilitator.post(
        move, {"agenda_version": version_of(meeting), "direction": "up"}, **HTMX
    )
    assert "Moved “C” to position 2." in response.content.decode()
    assert titles(meeting) == ["A", "C", "B"]
    move = reverse("meetings:agenda_item_move", args=[meeting.pk, first.pk])
    as_facilitator.post(move, {"agenda_version": version_of(meeting), "direction": "down"}, **HTMX)
    assert titles(meeting) == ["C", "A", "B"]


def test_agenda_reorder_by_drag_and_drop(as_facilitator, meeting):
    a, b, c = add_items(meeting, ("A", 5), ("B", 5), ("C", 5))
    url = reverse("meetings:agenda_reorder", args=[meeting.pk])
    response = as_facilitator.post(
        url, {"agenda_version": 0, "order": f"{c.pk},{a.pk},{b.pk}"}, **HTMX
    )
    assert "The new order is saved." in response.content.decode()
    assert titles(meeting) == ["C", "A", "B"]


def test_agenda_reorder_with_missing_items_is_refused(as_facilitator, meeting):
    _a, b = add_items(meeting, ("A", 5), ("B", 5))
    url = reverse("meetings:agenda_reorder", args=[meeting.pk])
    response = as_facilitator.post(url, {"agenda_version": 0, "order": f"{b.pk}"}, **HTMX)
    assert "Someone else changed this agenda" in response.content.decode()
    assert titles(meeting) == ["A", "B"]


def test_agenda_item_delete(as_facilitator, meeting):
    a, b = add_items(meeting, ("A", 5), ("B", 5))
    url = reverse("meetings:agenda_item_delete", args=[meeting.pk, a.pk])
    response = as_facilitator.post(url, {"agenda_version": 0}, **HTMX)
    assert "Removed “A” from the agenda." in response.content.decode()
    assert titles(meeting) == ["B"]
    assert AgendaItem.objects.get(pk=b.pk).position == 0


def test_agenda_item_of_another_meeting_is_404(as_facilitator, meeting, world):
    (other,) = add_items(world.other_meeting, ("Theirs", 5))
    url = reverse("meetings:agenda_item_edit", args=[meeting.pk, other.pk])
    assert as_facilitator.get(url).status_code == 404


def test_two_editors_the_stale_edit_is_refused_with_the_fresh_agenda(client_for, world, meeting):
    """Both load version 0; the organizer saves first; the facilitator's edit must not win."""
    (item,) = add_items(meeting, ("Check-in", 15))
    organizer = client_for(world.users["organizer"])
    organizer.post(
        reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk]),
        {"agenda_version": 0, "title": "Welcome round", "minutes": 15},
        **HTMX,
    )
    facilitator = client_for(world.users["facilitator"])
    response = facilitator.post(
        reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk]),
        {"agenda_version": 0, "title": "Arrivals", "minutes": 25},
        **HTMX,
    )
    body = response.content.decode()
    assert "Someone else changed this agenda while you were editing" in body
    assert "Welcome round" in body, "the fresh agenda is shown"
    assert 'value="Arrivals"' in body, "the stale editor's input is kept to retry"
    assert f'name="agenda_version" value="{version_of(meeting)}"' in body
    item.refresh_from_db()
    assert (item.title, item.minutes) == ("Welcome round", 15), "no lost update"


def test_two_editors_a_stale_add_is_refused_and_nothing_is_lost(client_for, world, meeting):
    client_for(world.users["organizer"]).post(
        reverse("meetings:agenda_item_add", args=[meeting.pk]),
        {"agenda_version": 0, "title": "Opening", "minutes": 10},
        **HTMX,
    )
    response = client_for(world.users["facilitator"]).post(
        reverse("meetings:agenda_item_add", args=[meeting.pk]),
        {"agenda_version": 0, "title": "Break", "minutes": 10},
        **HTMX,
    )
    body = response.content.decode()
    assert "Someone else changed this agenda" in body
    assert "Opening" in body and 'value="Break"' in body
    assert titles(meeting) == ["Opening"]


def test_agenda_of_a_past_meeting_cannot_be_changed(as_facilitator, world):
    past = MeetingFactory(
        group=world.group,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2) + datetime.timedelta(minutes=90),
    )
    response = as_facilitator.post(
        reverse("meetings:agenda_item_add", args=[past.pk]),
        {"agenda_version": 0, "title": "Opening", "minutes": 10},
        **HTMX,
    )
    assert "This meeting is over, so its agenda can&#x27;t be changed." in response.content.decode()
    assert not past.agenda_items.exists()


def test_agenda_page_query_count_does_not_grow_with_items(as_facilitator, meeting):
    add_items(meeting, ("Only", 5))
    url = reverse("meetings:agenda", args=[meeting.pk])

    def fetch():
        assert as_facilitator.get(url).status_code == 200

    def grow():
        add_items(meeting, *[(f"Item {n}", 1) for n in range(19)])

    assert_constant_queries(fetch, grow, limit=20)


def test_members_see_the_agenda_read_only_fragment(meeting):
    add_items(meeting, ("Check-in", 15))
    html = render_to_string(
        "meetings/agenda/fragments/agenda_readonly.html",
        {"agenda_items": list(meeting.agenda_items.all())},
    )
    assert "Check-in" in html and "15 minutes" in html and "<form" not in html


# --- Defaults and templates -------------------------------------------------------------
@pytest.fixture
def builtins(db):
    """The data migration creates them; a flushed database (after browser tests) may not."""
    agenda_defaults.builtin_templates_ensure(AgendaTemplate, AgendaTemplateItem)


def test_builtin_templates_ship_for_three_kinds_of_group(builtins):
    shipped = {t.kind: t for t in AgendaTemplate.objects.filter(group__isnull=True)}
    assert set(shipped) == {"mens", "first_responders", "general"}
    for template in shipped.values():
        item_titles = [i.title for i in template.items.all()]
        assert item_titles[0].startswith("Opening")
        assert "Round-robin sharing" in item_titles and "Break" in item_titles
        assert item_titles[-1].startswith("Check-out")
        assert sum(i.minutes for i in template.items.all()) == 90
    assert agenda_defaults.builtin_templates_ensure(AgendaTemplate, AgendaTemplateItem) == 0


def test_new_meeting_starts_from_the_builtin_for_the_group_kind(world, builtins):
    group = PeerGroupFactory(
        organisation=world.organisation, audience="Paramedics, police and firefighters"
    )
    meeting = MeetingFactory(group=group)
    assert agenda_services.agenda_start_from_default(meeting=meeting) == 5
    assert titles(meeting)[0] == "Opening, ground rules and check-in"
    assert version_of(meeting) == 1


def test_new_meeting_starts_from_the_group_default_template(world):
    template = AgendaTemplate.objects.create(
        group=world.group, name="Our evening", is_group_default=True
    )
    AgendaTemplateItem.objects.create(template=template, title="Tea", minutes=5)
    meeting = MeetingFactory(group=world.group)
    agenda_services.agenda_start_from_default(meeting=meeting)
    assert titles(meeting) == ["Tea"]


def test_start_from_default_is_a_no_op_when_the_meeting_has_an_agenda(meeting):
    add_items(meeting, ("Mine", 5))
    assert agenda_services.agenda_start_from_default(meeting=meeting) == 0
    assert titles(meeting) == ["Mine"]


def test_start_from_default_works_without_builtin_rows(world):
    AgendaTemplate.objects.filter(group__isnull=True).delete()
    meeting = MeetingFactory(group=world.group)
    agenda_services.agenda_start_from_default(meeting=meeting)
    assert titles(meeting)[-1] == "Check-out"


def test_group_copies_a_builtin_edits_it_and_makes_it_the_default(as_facilitator, world, builtins):
    group = world.group
    builtin = AgendaTemplate.objects.get(group__isnull=True, kind="general")
    response = as_facilitator.post(
        reverse("meetings:agenda_template_copy", args=[group.slug, builtin.pk]), follow=True
    )
    copy = AgendaTemplate.objects.get(group=group)
    assert "is ready to adapt" in response.content.decode()
    assert copy.items.count() == 5
    data = {
        "name": "Thursday evenings",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "40",
        "items-0-title": "Tea and arrivals",
        "items-0-minutes": "10",
        "items-1-title": "Sharing",
        "items-1-minutes": "0",
    }
    url = reverse("meetings:agenda_template_edit", args=[group.slug, copy.pk])
    refused = as_facilitator.post(url, data)
    assert "Give each agenda item at least one minute." in refused.content.decode()
    data["items-1-minutes"] = "40"
    data["items-1-flexible"] = "on"
    as_facilitator.post(url, data)
    copy.refresh_from_db()
    assert copy.name == "Thursday evenings"
    assert [(i.title, i.minutes, i.flexible) for i in copy.items.all()] == [
        ("Tea and arrivals", 10, False),
        ("Sharing", 40, True),
    ]
    as_facilitator.post(reverse("meetings:agenda_template_default", args=[group.slug, copy.pk]))
    page = as_facilitator.get(reverse("meetings:agenda_templates", args=[group.slug]))
    assert "default for new meetings" in page.content.decode()
    meeting = MeetingFactory(group=group)
    agenda_services.agenda_start_from_default(meeting=meeting)
    assert titles(meeting) == ["Tea and arrivals", "Sharing"]


def test_meeting_agenda_kept_as_a_template_and_applied_to_another(as_facilitator, world, meeting):
    add_items(meeting, ("Tea", 5), ("Walk and talk", 45))
    response = as_facilitator.post(
        reverse("meetings:agenda_save_template", args=[meeting.pk]),
        {"name": "Summer walk"},
        follow=True,
    )
    assert "Saved as the template “Summer walk”." in response.content.decode()
    template = AgendaTemplate.objects.get(group=world.group, name="Summer walk")
    other = MeetingFactory(group=world.group)
    add_items(other, ("Old", 5))
    as_facilitator.post(
        reverse("meetings:agenda_apply_template", args=[other.pk]),
        {"agenda_version": 0, "template": template.pk},
    )
    assert titles(other) == ["Tea", "Walk and talk"]


def test_template_of_another_group_is_404(as_facilitator, world):
    theirs = AgendaTemplate.objects.create(group=world.other_group, name="Theirs")
    url = reverse("meetings:agenda_template_edit", args=[world.group.slug, theirs.pk])
    assert as_facilitator.get(url).status_code == 404


def test_agenda_page_of_a_cancelled_meeting_is_read_only(as_facilitator, meeting):
    add_items(meeting, ("Check-in", 15))
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    body = as_facilitator.get(reverse("meetings:agenda", args=[meeting.pk])).content.decode()
    assert "its agenda is kept as it was" in body
    assert "Check-in" in body and "Move down" not in body and "Add an item" not in body


def test_agenda_templates_page_query_count_does_not_grow(as_facilitator, world, builtins):
    url = reverse("meetings:agenda_templates", args=[world.group.slug])

    def make(n):
        template = AgendaTemplate.objects.create(group=world.group, name=f"Template {n}")
        AgendaTemplateItem.objects.create(template=template, title="Tea", minutes=5)

    make(0)

    def fetch():
        assert as_facilitator.get(url).status_code == 200

    def grow():
        for n in range(1, 20):
            make(n)

    assert_constant_queries(fetch, grow, limit=15)
