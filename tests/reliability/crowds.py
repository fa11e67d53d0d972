"""Many members at once, made with bulk inserts (factories would take minutes at 5,000),
and the waiting and counting that fan-out tests share."""

from __future__ import annotations

import collections
import datetime
import time
import uuid

from allauth.account.models import EmailAddress
from django.utils import timezone

from members.models import User
from tests.factories import MeetingFactory, PeerGroupFactory


def meeting_with_members_going(count: int):
    """A meeting in 23 hours (its 1-day reminder is due) with `count` active members going,
    each with a verified address. Returns the meeting and the set of addresses."""
    from groups.models import Membership
    from sessions.models import Rsvp

    group = PeerGroupFactory()
    starts = timezone.now() + datetime.timedelta(hours=23)
    meeting = MeetingFactory(
        group=group, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=90)
    )
    run = uuid.uuid4().hex[:6]
    users = User.objects.bulk_create(
        User(email=f"f{run}-{i}@example.net", display_name=f"Member {i}", password="!")
        for i in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    Membership.objects.bulk_create(
        Membership(group=group, user=u, status="active", joined_at=timezone.now()) for u in users
    )
    Rsvp.objects.bulk_create(Rsvp(meeting=meeting, user=u, status="going") for u in users)
    return meeting, {u.email for u in users}


def wait_until(condition, timeout: float, what: str) -> None:
    """Poll `condition` (a worker in another process does the work) until true or timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def by_recipient(messages) -> dict[str, list]:
    """The messages the sink received, grouped by address: a repeat shows as two."""
    grouped = collections.defaultdict(list)
    for message in messages:
        grouped[str(message["To"])].append(message)
    return grouped
