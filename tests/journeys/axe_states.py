"""People in particular states for the accessibility crawl, and its browser context."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)
from tests.fixtures.browser import BROWSER_LOCALES, preload_axe

DESKTOP = {"width": 1280, "height": 800}


def build_states(world) -> dict[str, tuple]:
    """People in the states a member can be in, each with the pages that show the state."""
    from sessions.models import Attendance
    from sessions.services.events import event_create
    from sessions.services.rsvp import rsvp_set

    u = world.users
    # Waitlisted: a meeting of one seat, taken by the member.
    full = MeetingFactory(group=world.group, capacity=1, facilitator=u["facilitator"])
    rsvp_set(meeting=full, member=u["member"], status="going", mode="in_person")
    waiting = UserFactory(email="waiting@world.test", display_name="Wren Waiting")
    MembershipFactory(group=world.group, user=waiting)
    sign_agreement(waiting, world.agreement)
    rsvp_set(meeting=full, member=waiting, status="going", mode="in_person")
    # A check-in survey open: the meeting ended an hour ago and they were there.
    ends = timezone.now() - datetime.timedelta(hours=1)
    ended = MeetingFactory(
        group=world.group, starts_at=ends - datetime.timedelta(minutes=90), ends_at=ends
    )
    Attendance.objects.create(meeting=ended, user=waiting, status="present")
    # An agreement to sign again: a new version published after they signed.
    resign_group = PeerGroupFactory(
        organisation=world.organisation, name="Lighthouse Circle", slug="lighthouse-circle"
    )
    MembershipFactory(group=resign_group, user=waiting)
    MembershipFactory(group=resign_group, user=u["facilitator"], role="facilitator")
    sign_agreement(waiting, publish_agreement(resign_group, by=u["facilitator"]))
    publish_agreement(resign_group, text="We start on time.\nPhones away.", by=u["facilitator"])
    # A community event of the organisation, on its public calendar.
    event_create(
        organisation=world.organisation,
        by=u["organizer"],
        title="Open evening",
        day=timezone.localdate() + datetime.timedelta(days=10),
        start_time=datetime.time(18, 0),
        duration_minutes=60,
        time_zone="Europe/London",
        capacity=20,
    )
    return {
        "waitlisted, survey open, agreement to re-sign": (
            waiting,
            [
                "/",
                full.get_absolute_url(),
                reverse("feedback:checkin", args=[ended.pk]),
                reverse("groups:agreement_sign", args=[resign_group.slug]),
                reverse("groups:inside", args=[resign_group.slug]),
            ],
        ),
        "on a break": (u["on_break"], ["/", reverse("groups:inside", args=[world.group.slug])]),
        "join request waiting": (u["pending"], ["/", reverse("groups:mine")]),
        "no group yet (empty states)": (
            u["outsider"],
            ["/", reverse("groups:mine"), reverse("feedback:goals")],
        ),
    }


def _context(_browser, live_server, language: str = "en"):
    """A browser context of its own whose browser asks for `language` (Accept-Language)."""
    context = _browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        reduced_motion="reduce",
        locale=BROWSER_LOCALES[language],
    )
    context.set_default_timeout(15_000)
    preload_axe(context)
    return context
