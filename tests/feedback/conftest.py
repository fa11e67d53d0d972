import datetime

import pytest
from django.utils import timezone

from tests.factories import MeetingFactory


def past_meeting_for(group, *, present=(), hours_ago: float = 1):
    """A meeting of `group` that ended `hours_ago` (negative: still running), with the
    people in `present` marked present."""
    from sessions.models import Attendance

    ends = timezone.now() - datetime.timedelta(hours=hours_ago)
    meeting = MeetingFactory(
        group=group, starts_at=ends - datetime.timedelta(minutes=90), ends_at=ends
    )
    for user in present:
        Attendance.objects.create(meeting=meeting, user=user, status="present")
    return meeting


def past_meeting_with(world, *, hours_ago: float = 1, present=("member", "facilitator")):
    """The same for `world.group`, with roles named."""
    users = [world.users[role] for role in present]
    return past_meeting_for(world.group, present=users, hours_ago=hours_ago)


@pytest.fixture
def past_meeting(world):
    return past_meeting_with(world)
