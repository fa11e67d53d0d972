"""What the space tells people through the notification layer: replies, mentions, the
daily digest exactly once, nothing to members on a break."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from groups.models import Membership
from members.models import Delivery
from space.models import Post
from space.services.notices import digests_send
from space.tasks import send_space_digests
from tests.space.support import reply

pytestmark = pytest.mark.django_db


def test_a_reply_notifies_the_threads_other_writers_with_email_off_by_default(world, client_for):
    reply(client_for(world.users["facilitator"]), world.space_thread, "Another reply")

    delivery = Delivery.objects.get(kind="space_reply", recipient=world.users["member"])
    assert delivery.status == Delivery.Status.SKIPPED  # the daily digest carries it by email
    assert not Delivery.objects.filter(kind="space_reply", recipient=world.users["facilitator"])


def test_a_mention_by_display_name_notifies_that_member(world, client_for):
    reply(client_for(world.users["facilitator"]), world.space_thread, "Thanks @Member, me too")
    assert Delivery.objects.filter(kind="space_mention", recipient=world.users["member"]).exists()
    # Mentioned: one notice, not also a reply notice.
    assert not Delivery.objects.filter(kind="space_reply", recipient=world.users["member"])


def test_members_on_a_break_get_no_notices(world, client_for):
    Membership.objects.filter(user=world.users["member"], group=world.group).update(
        status="on_break"
    )
    reply(client_for(world.users["facilitator"]), world.space_thread, "Hello @Member")
    assert not Delivery.objects.filter(recipient=world.users["member"], kind__startswith="space")


def _yesterday_reply(world):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Post.objects.create(
        thread=world.space_thread,
        author=world.users["facilitator"],
        body="Late reply",
        created_at=yesterday.replace(hour=12),
    )


def test_the_daily_digest_goes_once_per_member_per_day(world):
    _yesterday_reply(world)

    send_space_digests()
    send_space_digests()  # a rerun the same day

    digests = Delivery.objects.filter(kind="space_digest", recipient=world.users["member"])
    assert digests.count() == 1
    assert digests.get().status == Delivery.Status.PENDING
    assert digests.get().context["replies"] == 1
    # The facilitator wrote the only new reply: nothing new for them.
    assert not Delivery.objects.filter(kind="space_digest", recipient=world.users["facilitator"])


def test_the_digest_skips_members_on_a_break(world):
    _yesterday_reply(world)
    Membership.objects.filter(user=world.users["member"], group=world.group).update(
        status="on_break"
    )
    today = timezone.now().date()
    start = timezone.now() - datetime.timedelta(days=2)
    digests_send(day=today, since=start, until=timezone.now())
    assert not Delivery.objects.filter(kind="space_digest", recipient=world.users["member"])
