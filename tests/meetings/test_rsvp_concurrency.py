"""Never over capacity: 50 members press "going" at once for a 10-seat meeting.

Each thread has its own PostgreSQL connection and transaction; the row lock on the
meeting serialises the seat decisions in the database, not in Python.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from members.models import User
from sessions.models import Meeting, Rsvp
from sessions.selectors.rsvp import rsvp_waitlist_position
from sessions.services import rsvp as services
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)

PEOPLE = 50
SEATS = 10


def _press_going(meeting_id: int, user_id: int, start: threading.Barrier, errors: list) -> None:
    try:
        start.wait(timeout=30)
        services.rsvp_set(
            meeting=Meeting.objects.get(pk=meeting_id),
            member=User.objects.get(pk=user_id),
            status="going",
        )
    except Exception as error:  # reported by the test, never swallowed
        errors.append(error)
    finally:
        connection.close()


# serialized_rollback: the flush after this test must not lose rows that data migrations
# created (built-in agenda templates) for the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rsvp_set_fifty_at_once_fills_ten_seats_and_waitlists_forty_in_order():
    group = PeerGroupFactory(format="in_person")
    version = publish_agreement(group)
    people = []
    for _ in range(PEOPLE):
        user = UserFactory()
        MembershipFactory(group=group, user=user)
        sign_agreement(user, version)
        people.append(user.pk)
    meeting = MeetingFactory(group=group, format="in_person", capacity=SEATS)

    start, errors = threading.Barrier(PEOPLE), []
    threads = [
        threading.Thread(target=_press_going, args=(meeting.pk, pk, start, errors)) for pk in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    going = list(Rsvp.objects.filter(meeting=meeting, status="going"))
    waiting = list(
        Rsvp.objects.filter(meeting=meeting, status="waitlisted").order_by("waitlisted_at", "pk")
    )
    assert len(going) == SEATS
    assert len(waiting) == PEOPLE - SEATS
    # Arrival order: every seat was given before anyone was put on the waitlist, and the
    # waitlist positions run 1..40 in the order people were served.
    assert max(r.updated_at for r in going) < min(r.waitlisted_at for r in waiting)
    assert [rsvp_waitlist_position(r) for r in waiting] == list(range(1, 41))
    assert len({r.waitlisted_at for r in waiting}) == len(waiting)

    # The first in line is the one promoted when a seat frees up.
    services.rsvp_set(meeting=meeting, member=going[0].user, status="not_going")
    promoted = Rsvp.objects.get(pk=waiting[0].pk)
    assert promoted.status == "going"
    assert Rsvp.objects.filter(meeting=meeting, status="going").count() == SEATS
