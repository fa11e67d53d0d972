"""RSVP, attendance, calendar feeds and community events (issue 7)."""

import datetime

from tests.access import LOGIN, Row, expect, signed_in

INSIDE = expect(404, anonymous=LOGIN, member=200, on_break=200, facilitator=200, organizer=200)
RUNS = expect(404, anonymous=LOGIN, facilitator=200, organizer=200)


def _meeting(w):
    return [w.meeting.pk]


def _location(w):
    """The meeting's own place and link: active members (signed), facilitators, organizers."""
    entitled = {"member", "facilitator", "organizer"}
    return {w.meeting.place: entitled, w.meeting.online_link: entitled}


def _nobody_sees_location(w):
    return {w.meeting.place: set(), w.meeting.online_link: set()}


def _rsvp_link(w):
    from sessions.services.rsvp import rsvp_link_token

    return [rsvp_link_token(meeting=w.meeting, member=w.users["member"], status="not_going")]


def _going_rsvp(w):
    from sessions.services.rsvp import rsvp_set

    rsvp = rsvp_set(meeting=w.meeting, member=w.users["member"], status="going", mode="in_person")
    return [w.meeting.pk, rsvp.pk]


def _feed(w):
    from sessions.services.calendar import calendar_feed_get_or_create

    return [calendar_feed_get_or_create(user=w.users["member"]).token]


def _statement(w):
    from sessions.services.attendance import (
        attendance_statement_issue,
        attendance_statement_token,
    )

    today = datetime.date.today()
    statement = attendance_statement_issue(
        user=w.users["member"],
        organisation=w.organisation,
        start=today - datetime.timedelta(days=30),
        end=today,
    )
    return [attendance_statement_token(statement)]


def _member_contact(w):
    """A statement shows the facts, never the member's email address."""
    return {w.users["member"].email: set()}


def _organisation(w):
    return [w.organisation.slug]


def _event(w):
    from sessions.services.events import event_create

    if "community_event" not in w.objects:
        w.objects["community_event"] = event_create(
            organisation=w.organisation,
            by=w.users["organizer"],
            title="Open evening",
            day=datetime.date.today() + datetime.timedelta(days=10),
            start_time=datetime.time(18, 0),
            duration_minutes=60,
            time_zone="Europe/London",
            capacity=20,
        )
    return [w.community_event.pk]


ROWS = [
    Row(
        "meetings:rsvp",
        expect(404, anonymous=LOGIN, member=302, on_break=302, facilitator=302, organizer=302),
        args=_meeting,
        method="post",
        data=lambda w: {"status": "not_going"},
        note="inside the group; the service then explains who may RSVP (a message, back)",
    ),
    Row(
        "meetings:rsvp_link",
        expect(200),
        args=_rsvp_link,
        private=_nobody_sees_location,
        note="the signed token stands for the member; GET only shows a confirmation",
    ),
    Row("meetings:rsvp_list", RUNS, args=_meeting, private=_location),
    Row(
        "meetings:rsvp_to_waitlist",
        expect(404, anonymous=LOGIN, facilitator=302, organizer=302),
        args=_going_rsvp,
        method="post",
    ),
    Row("meetings:meeting_ics", INSIDE, args=_meeting, private=_location),
    Row("meetings:calendar_feed", signed_in(200)),
    Row("meetings:calendar_feed_rotate", signed_in(302), method="post"),
    Row("meetings:calendar_feed_revoke", signed_in(302), method="post"),
    Row(
        "meetings:feed",
        expect(200),
        args=_feed,
        note="the private token is the key (the member's own feed); a revoked token is 404",
    ),
    Row("meetings:attendance", RUNS, args=_meeting, private=_location),
    Row("meetings:statement_create", signed_in(200)),
    Row(
        "meetings:statement",
        expect(200),
        args=_statement,
        private=_member_contact,
        note="public verification: the same facts for anyone holding the random link",
    ),
    Row(
        "meetings:statement_revoke",
        signed_in(404, member=302),
        args=_statement,
        method="post",
        note="only the statement's owner can withdraw it; anyone else learns nothing",
    ),
    Row("meetings:organisation_calendar", expect(200), args=_organisation),
    Row("meetings:organisation_feed", expect(200), args=_organisation),
    Row(
        "meetings:event_create",
        expect(404, anonymous=LOGIN, organizer=200),
        args=_organisation,
        private=_nobody_sees_location,
    ),
    Row("meetings:event_detail", expect(200), args=_event),
    Row(
        "meetings:event_rsvp",
        signed_in(302),
        args=_event,
        method="post",
        data=lambda w: {"status": "going"},
    ),
    Row(
        "meetings:event_cancel",
        expect(404, anonymous=LOGIN, organizer=302),
        args=_event,
        method="post",
    ),
    Row("meetings:event_ics", expect(200), args=_event),
]

ROWS.append(
    Row(
        "meetings:rsvp_closing",
        expect(404, anonymous=LOGIN, facilitator=302, organizer=302),
        args=_meeting,
        method="post",
        data=lambda w: {"hours": "2"},
    )
)
