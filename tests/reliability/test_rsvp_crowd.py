"""200 members press "going" at once for a 10-seat meeting, on real PostgreSQL.

PostgreSQL here allows 100 connections (shared with other test runs), so the 200 requests
go through a bounded pool: 200 threads wait for one start signal, and each opens its own
connection only while it holds one of SLOTS places, as a web server's worker pool would.
The figure reported is how many held a connection at the same moment.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from groups.models import Membership, Signature
from members.models import User
from sessions.models import Meeting, Rsvp
from sessions.selectors.rsvp import rsvp_waitlist_position
from sessions.services import rsvp as services
from tests.factories import MeetingFactory, PeerGroupFactory, publish_agreement
from tests.reliability.conftest import report

PEOPLE = 200
SEATS = 10
SLOTS = 60


def _crowd(count: int):
    """An in-person group with `count` active members who signed its agreement."""
    group = PeerGroupFactory(format="in_person")
    version = publish_agreement(group)
    run = uuid.uuid4().hex[:6]
    users = User.objects.bulk_create(
        User(email=f"crowd{run}-{i}@example.net", display_name=f"Crowd {i}", password="!")
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(group=group, user=u, status="active", joined_at=timezone.now()) for u in users
    )
    Signature.objects.bulk_create(
        Signature(
            group=group,
            version=version,
            member=u,
            content_hash=version.content_hash,
            typed_name=u.display_name,
        )
        for u in users
    )
    return group, [u.pk for u in users]


@pytest.mark.django_db(transaction=True)
def test_200_at_once_for_10_seats_gives_10_going_and_190_waiting_in_order():
    group, people = _crowd(PEOPLE)
    meeting = MeetingFactory(group=group, format="in_person", capacity=SEATS)
    go, slots, lock = threading.Event(), threading.BoundedSemaphore(SLOTS), threading.Lock()
    errors: list[Exception] = []
    holding, peak = 0, 0

    def press_going(user_id: int) -> None:
        nonlocal holding, peak
        go.wait(timeout=60)
        with slots:
            with lock:
                holding += 1
                peak = max(peak, holding)
            try:
                services.rsvp_set(
                    meeting=Meeting.objects.get(pk=meeting.pk),
                    member=User.objects.get(pk=user_id),
                    status="going",
                )
            except Exception as error:  # reported by the test, never swallowed
                errors.append(error)
            finally:
                connection.close()
                with lock:
                    holding -= 1

    threads = [threading.Thread(target=press_going, args=(pk,)) for pk in people]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    go.set()
    for thread in threads:
        thread.join(timeout=180)
    took = time.monotonic() - started
    assert not errors, errors[:3]

    going = list(Rsvp.objects.filter(meeting=meeting, status="going"))
    waiting = list(
        Rsvp.objects.filter(meeting=meeting, status="waitlisted").order_by("waitlisted_at", "pk")
    )
    assert len(going) == SEATS
    assert len(waiting) == PEOPLE - SEATS
    assert Rsvp.objects.filter(meeting=meeting).count() == PEOPLE  # nobody lost, nobody twice
    # Arrival order: every seat was given before anyone was put on the waitlist, and the
    # positions run 1..190 with no gap and no tie, in the order people were served.
    assert max(r.updated_at for r in going) < min(r.waitlisted_at for r in waiting)
    positions = [rsvp_waitlist_position(r) for r in waiting]
    assert positions == list(range(1, PEOPLE - SEATS + 1))
    assert len({r.waitlisted_at for r in waiting}) == len(waiting)
    # The first in line gets the seat that frees up.
    services.rsvp_set(meeting=meeting, member=going[0].user, status="not_going")
    assert Rsvp.objects.get(pk=waiting[0].pk).status == "going"
    report(
        "concurrency",
        f"{PEOPLE} RSVPs for {SEATS} seats through a pool of {SLOTS} connections "
        f"({peak} truly concurrent): {len(going)} going, {len(waiting)} waitlisted "
        f"1..{positions[-1]} in arrival order, in {took:.1f} s",
    )
