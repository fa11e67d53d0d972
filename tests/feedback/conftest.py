import datetime

import pytest
from django.utils import timezone

from tests.factories import MeetingFactory


def past_meeting_with(world, *, hours_ago: float = 1, present=("member", "facilitator")):
    """A meeting of `world.group` that ended `hours_ago`, with attendance marked."""
    from sessions.models import Attendance

    ends = timezone.now() - datetime.timedelta(hours=hours_ago)
    meeting = MeetingFactory(
        group=world.group,
        starts_at=ends - datetime.timedelta(minutes=90),
        ends_at=ends,
        facilitator=world.users["facilitator"],
    )
    for role in present:
        Attendance.objects.create(meeting=meeting, user=world.users[role], status="present")
    return meeting


@pytest.fixture
def past_meeting(world):
    return past_meeting_with(world)
