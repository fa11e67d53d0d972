"""Races on real PostgreSQL that the other suites do not cover.

Already covered elsewhere: 50 RSVPs for 10 seats with the waitlist in order
(tests/meetings/test_rsvp_concurrency.py), concurrent agreement publishes
(tests/groups/test_agreements.py), a double-clicked join request (tests/groups/test_joining.py),
a double-submitted check-in (tests/feedback/test_checkin.py).
Here: two people approving the same join request at once, and a double-clicked "going".
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from groups.models import Membership, MembershipEvent
from groups.services.membership import membership_decide
from members.models import User
from sessions.models import Meeting, Rsvp
from sessions.services import rsvp as rsvp_services
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
    publish_agreement,
    sign_agreement,
)
from tests.reliability.conftest import report


def race(*calls) -> list[str]:
    """Run the calls at the same moment, each on its own connection; outcomes in order."""
    barrier, outcomes = threading.Barrier(len(calls)), [""] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            call()
            outcomes[i] = "ok"
        except Exception as error:
            outcomes[i] = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_the_same_request_make_one_event_and_one_email(mailoutbox):
    group = PeerGroupFactory(join_policy="approval")
    facilitator, organizer = UserFactory(), UserFactory()
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    add_organizer(organizer, group.organisation)
    asker = UserFactory(email="asker@example.net")
    request = MembershipFactory(group=group, user=asker, status="pending", joined_at=None)
    events_before = MembershipEvent.objects.filter(membership=request).count()

    def approve(actor_id):
        def call():
            membership_decide(
                membership=Membership.objects.get(pk=request.pk),
                actor=User.objects.get(pk=actor_id),
                approve=True,
                message="Welcome",
            )

        return call

    outcomes = race(approve(facilitator.pk), approve(organizer.pk))

    assert sorted(outcomes) == ["This request was already handled.", "ok"], outcomes
    request.refresh_from_db()
    assert request.status == "active"
    assert MembershipEvent.objects.filter(membership=request).count() == events_before + 1
    assert [m.to for m in mailoutbox] == [["asker@example.net"]]
    report("concurrency", "2 simultaneous approvals of one request: 1 event, 1 email")


@pytest.mark.django_db(transaction=True)
def test_double_clicked_going_keeps_one_rsvp_and_one_seat():
    group = PeerGroupFactory(format="in_person")
    facilitator = UserFactory()
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    version = publish_agreement(group, by=facilitator)
    member = UserFactory()
    MembershipFactory(group=group, user=member)
    sign_agreement(member, version)
    meeting = MeetingFactory(group=group, capacity=5, format="in_person")

    def going():
        rsvp_services.rsvp_set(
            meeting=Meeting.objects.get(pk=meeting.pk),
            member=User.objects.get(pk=member.pk),
            status="going",
        )

    outcomes = race(going, going, going)

    assert all(o == "ok" for o in outcomes), outcomes
    assert list(Rsvp.objects.filter(meeting=meeting).values_list("status", flat=True)) == ["going"]
    report("concurrency", "3 simultaneous 'going' clicks by one member: 1 RSVP, 1 seat")
