"""Agendas, agenda templates, roles and the live view (issue 6, part 2).

POST rows run as every role in turn on the same world, so data is read fresh for each
(the agenda version moves on after each successful change).
"""

from tests.access import LOGIN, Row, expect

# Who runs the group: its facilitators and its organisation's organizers.
RUNS = expect(404, anonymous=LOGIN, facilitator=200, organizer=200)
RUNS_POST = expect(404, anonymous=LOGIN, facilitator=302, organizer=302)


def _meeting(w):
    return [w.meeting.pk]


def _location(w):
    """The meeting's private place and link never appear on these pages for outsiders."""
    entitled = {"member", "facilitator", "organizer"}
    return {w.meeting.place: entitled, w.meeting.online_link: entitled}


def _version(w) -> int:
    from sessions.models import Meeting

    return Meeting.objects.get(pk=w.meeting.pk).agenda_version


def _item(w, title="Matrix item"):
    from sessions.models import AgendaItem

    item, _created = AgendaItem.objects.get_or_create(
        meeting=w.meeting, title=title, defaults={"minutes": 10, "position": 0}
    )
    return item


def _meeting_item(title):
    return lambda w: [w.meeting.pk, _item(w, title).pk]


def _template(w, name="Matrix template"):
    from sessions.models import AgendaTemplate

    template, _created = AgendaTemplate.objects.get_or_create(group=w.group, name=name)
    return template


def _builtin(w):
    from sessions.agenda_defaults import builtin_templates_ensure
    from sessions.models import AgendaTemplate, AgendaTemplateItem

    # The data migration made them; a database flushed by a browser test may have lost them.
    builtin_templates_ensure(AgendaTemplate, AgendaTemplateItem)
    return AgendaTemplate.objects.filter(group__isnull=True).order_by("pk").first()


def _group_template(name):
    return lambda w: [w.group.slug, _template(w, name).pk]


ROWS = [
    Row("meetings:agenda", RUNS, args=_meeting, private=_location),
    Row(
        "meetings:agenda_item_add",
        RUNS_POST,
        args=_meeting,
        method="post",
        data=lambda w: {"agenda_version": _version(w), "title": "Added", "minutes": 5},
    ),
    Row("meetings:agenda_item_edit", RUNS, args=_meeting_item("Matrix item")),
    Row(
        "meetings:agenda_item_delete",
        expect(404, anonymous=LOGIN, facilitator=302),
        args=_meeting_item("To delete"),
        method="post",
        data=lambda w: {"agenda_version": _version(w)},
        note="the organizer's turn comes after the facilitator deleted the item: 404",
    ),
    Row(
        "meetings:agenda_item_move",
        RUNS_POST,
        args=_meeting_item("Matrix item"),
        method="post",
        data=lambda w: {"agenda_version": _version(w), "direction": "down"},
    ),
    Row(
        "meetings:agenda_reorder",
        RUNS_POST,
        args=_meeting,
        method="post",
        data=lambda w: {"agenda_version": _version(w), "order": str(_item(w).pk)},
    ),
    Row(
        "meetings:agenda_apply_template",
        RUNS_POST,
        args=_meeting,
        method="post",
        data=lambda w: {"agenda_version": _version(w), "template": _builtin(w).pk},
    ),
    Row(
        "meetings:agenda_save_template",
        RUNS_POST,
        args=_meeting,
        method="post",
        data=lambda w: {"name": "Kept"},
    ),
    Row("meetings:agenda_templates", RUNS, args=lambda w: [w.group.slug]),
    Row("meetings:agenda_template_edit", RUNS, args=_group_template("Matrix template")),
    Row(
        "meetings:agenda_template_copy",
        RUNS_POST,
        args=lambda w: [w.group.slug, _builtin(w).pk],
        method="post",
    ),
    Row(
        "meetings:agenda_template_default",
        RUNS_POST,
        args=_group_template("Matrix template"),
        method="post",
    ),
    Row(
        "meetings:agenda_template_delete",
        expect(404, anonymous=LOGIN, facilitator=302),
        args=_group_template("To delete"),
        method="post",
        note="the organizer's turn comes after the facilitator deleted the template: 404",
    ),
    Row(
        "meetings:role_willingness",
        expect(404, anonymous=LOGIN, member=200, on_break=200, facilitator=200),
        args=lambda w: [w.group.slug],
        note="members of the group only (also on a break); organizers are not members",
    ),
    Row("meetings:roles", RUNS, args=_meeting, private=_location),
    Row(
        "meetings:role_remove",
        RUNS_POST,
        args=_meeting,
        method="post",
        data=lambda w: {"role": "timekeeper"},
    ),
    Row(
        "meetings:live",
        RUNS,
        args=_meeting,
        private=_location,
        note="also the meeting's timekeeper and note-taker: timers and agenda only "
        "(their rows: tests/meetings/test_live.py)",
    ),
    Row(
        "meetings:live_step",
        RUNS_POST,
        args=_meeting,
        method="post",
        data=lambda w: {"action": "start"},
    ),
    Row(
        "meetings:live_speakers",
        RUNS_POST,
        args=_meeting,
        method="post",
        data=lambda w: {"action": "shuffle"},
    ),
    Row(
        "meetings:live_checkin",
        RUNS_POST,
        args=_meeting,
        method="post",
        data=lambda w: {"user": w.users["member"].pk, "present": "on"},
    ),
]
