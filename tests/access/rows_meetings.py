"""Meetings: pages of one meeting, a group's meetings, scheduling, notes, the dashboard."""

from tests.access import LOGIN, Row, expect

# Inside the group (members, also on a break) and who runs it; everyone else 404.
INSIDE = expect(404, anonymous=LOGIN, member=200, on_break=200, facilitator=200, organizer=200)
RUNS = expect(404, anonymous=LOGIN, facilitator=200, organizer=200)


def _meeting(w):
    return [w.meeting.pk]


def _series(w):
    """A weekly series of the world's group, made on first use."""
    import datetime

    from django.utils import timezone

    from sessions.models import MeetingSeries

    series = MeetingSeries.objects.filter(group=w.group).first()
    if series is None:
        series = MeetingSeries.objects.create(
            group=w.group,
            frequency="weekly",
            weekday=0,
            start_date=timezone.localdate() + datetime.timedelta(days=7),
            start_time=datetime.time(18, 30),
            time_zone=w.group.time_zone,
            count=3,
        )
    return [series.pk]


def _location(w):
    """The meeting's own place and link: active members (signed), facilitators, organizers."""
    entitled = {"member", "facilitator", "organizer"}
    return {w.meeting.place: entitled, w.meeting.online_link: entitled}


ROWS = [
    Row(
        "meetings:facilitator_dashboard",
        expect(404, anonymous=LOGIN, facilitator=200, organizer=200, other_organizer=200),
    ),
    Row("meetings:group_list", INSIDE, args=lambda w: [w.group.slug], private=_location),
    Row("meetings:schedule", RUNS, args=lambda w: [w.group.slug], private=_location),
    Row("meetings:detail", INSIDE, args=_meeting, private=_location),
    Row("meetings:edit", RUNS, args=_meeting),
    Row("meetings:cancel", RUNS, args=_meeting, private=_location),
    Row(
        "meetings:complete",
        expect(404, anonymous=LOGIN, facilitator=302, organizer=302),
        args=_meeting,
        method="post",
        note="an upcoming meeting can't be completed yet: a message and back to its page",
    ),
    Row("meetings:series", RUNS, args=_series),
    Row("meetings:series_cancel", RUNS, args=_series),
    Row(
        "meetings:notes",
        expect(404, anonymous=LOGIN, facilitator=200),
        args=_meeting,
        private=_location,
        note="facilitators of the group only, not organizers",
    ),
]
