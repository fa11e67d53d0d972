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


@pytest.fixture(autouse=True)
def _nothing_held():
    """Each test starts with no answers waiting in the holding place (Redis)."""
    from feedback import holding

    holding.clear_all()
    yield
    holding.clear_all()


def release(meeting) -> int:
    """Close `meeting`'s survey now, as beat does once its window is over."""
    from feedback import services

    return services.checkin_release(meeting_id=meeting.pk)
