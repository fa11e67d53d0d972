"""In Chromium: a member RSVPs, sees the seats change, frees the seat; the first person
waiting is promoted and gets the email (through real SMTP)."""

from __future__ import annotations

import pytest

from sessions.services import rsvp as services
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

pytestmark = pytest.mark.browser


# serialized_rollback: the flush afterwards keeps rows that data migrations created.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_rsvps_frees_seat_and_first_waiting_is_promoted(page, smtp_sink):
    group = PeerGroupFactory(name="Harbour Circle", format="in_person")
    version = publish_agreement(group)
    member = UserFactory(email="sam@example.net", display_name="Sam")
    waiting = UserFactory(email="alex@example.net", display_name="Alex")
    for person in (member, waiting):
        MembershipFactory(group=group, user=person)
        sign_agreement(person, version)
    meeting = MeetingFactory(group=group, format="in_person", capacity=1, topic="Sleep")

    sign_in(page, member.email, PASSWORD)
    page.goto(meeting.get_absolute_url())
    seats = page.locator("#rsvp-seats")
    assert "0 of 1 seats taken, 1 left" in seats.inner_text()
    axe_check(page)

    page.get_by_role("button", name="I'm going").click()
    page.get_by_text("You're going. A confirmation").wait_for()
    assert "1 of 1 seats taken, 0 left" in seats.inner_text()

    # Alex presses "going" too: the meeting is full, so Alex waits first in line.
    assert services.rsvp_set(meeting=meeting, member=waiting, status="going").status == (
        "waitlisted"
    )
    page.reload()
    assert "1 waiting" in seats.inner_text()
    axe_check(page)

    page.get_by_role("button", name="I can't make it: free my seat").click()
    page.get_by_text("Thanks for letting us know").wait_for()
    assert page.locator("#rsvp-status").inner_text().strip() == "You said you can't make it."
    assert "1 of 1 seats taken, 0 left" in seats.inner_text()
    assert "waiting" not in seats.inner_text()

    def promotion_arrived():
        return [m for m in smtp_sink.to(waiting.email) if "seat freed up" in m["Subject"]]

    smtp_sink.wait_for(2)  # Sam's confirmation, then Alex's promotion
    promoted = promotion_arrived()
    assert len(promoted) == 1
    assert "Harbour Circle" not in promoted[0]["Subject"]
    assert any(
        part.get_content_type() == "text/calendar" for part in promoted[0].iter_attachments()
    )
