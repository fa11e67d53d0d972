"""A member RSVPs from their home page and finds it in their notifications: the bell's
count, the list, opening the notice, the count gone. Click-only from home, in Chromium, in
English, Spanish and French: every name clicked, waited for or asserted comes from the
catalogues (`Words`)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from members.models import Notice
from tests.factories import (
    PASSWORD,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)
from tests.fixtures.browser import axe_check, fits_narrow_screen, sign_in
from tests.journeys.support import LANGUAGES, Clicks, Words, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey]

EMAIL = "noor@example.net"
GROUP = "Harbour Evening Circle"


def _seed(language: str):
    organisation = OrganisationFactory(default_language=language)
    group = PeerGroupFactory(
        organisation=organisation, name=GROUP, format="in_person", online_link=""
    )
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


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_rsvps_and_sees_it_in_their_notifications(page, smtp_sink, language):
    say = Words(language)
    noor, _meeting = _seed(language)
    sign_in(page, EMAIL, PASSWORD)
    clicks = Clicks(page)
    clicks.open_home()
    bell = say("Notifications")
    page.get_by_role("link", name=bell, exact=True).wait_for()  # nothing unread

    with clicks.task("RSVP to the next meeting", budget=1):
        upcoming = page.get_by_role("region", name=say("Your next meetings"))
        clicks.button(say("I'm going"), within=upcoming)
        page.get_by_text(
            say("You're going. A confirmation with a calendar invite is on its way.")
        ).wait_for()

    with clicks.task("open my notifications from the bell", budget=1):
        unread = say.plural(
            "Notifications, %(counter)s unread", "Notifications, %(counter)s unread", 1, counter=1
        )
        clicks.link(unread, exact=True)
        page.get_by_role("heading", name=bell, level=1).wait_for()
        screenshots(page, f"notifications-{language}")
    axe_check(page)
    fits_narrow_screen(page)

    with clicks.task("open the notice", budget=1):
        clicks.link(say("Your place is confirmed: %(title)s", title=GROUP))
        page.get_by_role("heading", name="Evenings that feel long", level=1).wait_for()
    assert Notice.objects.get(recipient=noor).read_at is not None
    # Read: the bell no longer counts it, on every page.
    page.get_by_role("link", name=bell, exact=True).wait_for()
