"""A member RSVPs from their home page and finds it in their notifications: the bell's
count, the list, opening the notice, the count gone. Click-only from home, in Chromium."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from members.models import Notice
from tests.factories import (
    PASSWORD,
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)
from tests.fixtures.browser import axe_check, sign_in
from tests.journeys.support import Clicks, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey]

EMAIL = "noor@example.net"
GROUP = "Harbour Evening Circle"


def _seed():
    group = PeerGroupFactory(name=GROUP, format="in_person", online_link="")
    noor = UserFactory(email=EMAIL, display_name="Noor")
    MembershipFactory(group=group, user=noor)
    sign_agreement(noor, publish_agreement(group))
    starts = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    meeting = MeetingFactory(
        group=group,
        topic="Evenings that feel long",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
    )
    return noor, meeting


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_rsvps_and_sees_it_in_their_notifications(page, smtp_sink):
    noor, _meeting = _seed()
    sign_in(page, EMAIL, PASSWORD)
    clicks = Clicks(page)
    clicks.open_home()
    page.get_by_role("link", name="Notifications", exact=True).wait_for()  # nothing unread

    with clicks.task("RSVP to the next meeting", budget=1):
        upcoming = page.get_by_role("region", name="Your next meetings")
        clicks.button("I'm going", within=upcoming)
        page.get_by_text("You're going. A confirmation").wait_for()

    with clicks.task("open my notifications from the bell", budget=1):
        clicks.link("Notifications, 1 unread", exact=True)
        page.get_by_role("heading", name="Notifications", level=1).wait_for()
        screenshots(page, "notifications")
    axe_check(page)

    with clicks.task("open the notice", budget=1):
        clicks.link(f"Your place is confirmed: {GROUP}")
        page.get_by_role("heading", name="Evenings that feel long", level=1).wait_for()
    assert Notice.objects.get(recipient=noor).read_at is not None
    # Read: the bell no longer counts it, on every page.
    page.get_by_role("link", name="Notifications", exact=True).wait_for()
