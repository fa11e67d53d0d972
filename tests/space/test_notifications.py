"""What the space tells people through the notification layer: replies, mentions, the
daily digest exactly once, nothing to members on a break."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from members.models import Delivery
from space.models import Post
from space.services.notices import digests_send
from space.tasks import send_space_digests
from tests.reliability.crowds import wait_until
from tests.space.support import reply

pytestmark = pytest.mark.django_db


def test_a_reply_notifies_the_threads_other_writers_with_email_off_by_default(world, client_for):
    reply(client_for(world.users["facilitator"]), world.space_thread, "Another reply")

    delivery = Delivery.objects.get(kind="space_reply", recipient=world.users["member"])
    assert delivery.status == Delivery.Status.SKIPPED  # the daily digest carries it by email
    assert not Delivery.objects.filter(kind="space_reply", recipient=world.users["facilitator"])


def test_a_reply_is_a_notice_in_the_app_linking_to_it_and_the_digest_is_email_only(
    world, client_for
):
    from members.models import Notice
    from members.notifications.notices import notice_text

    reply(client_for(world.users["facilitator"]), world.space_thread, "Another reply")
    notice = Notice.objects.get(recipient=world.users["member"], kind="space_reply")
    assert notice_text(notice) == "New reply in “How was the week for everyone”"
    assert notice.link.startswith(world.space_thread.get_absolute_url())
    _yesterday_reply(world)
    send_space_digests()
    assert not Notice.objects.filter(kind="space_digest").exists()


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


def test_every_space_email_renders_without_the_group_in_its_subject(world, client_for):
    from members.notifications import delivery_message

    client_for(world.users["facilitator"]).post(
        reverse("space:suspend", args=[world.group.slug, world.space_post.pk]),
        {"days": "1", "reason": "A pause, please"},
    )
    reply(client_for(world.users["facilitator"]), world.space_thread, "Hello @Member")
    client_for(world.users["facilitator"]).post(
        reverse("space:post_review", args=[world.group.slug, world.space_post.pk]),
        {"decision": "remove", "reason": "Names of others"},
    )
    _yesterday_reply(world)
    send_space_digests()

    kinds = set()
    for delivery in Delivery.objects.filter(kind__startswith="space_"):
        message = delivery_message(delivery=delivery, address="someone@example.net")
        kinds.add(delivery.kind)
        assert world.group.name not in message.subject
        assert "I could not sleep" not in message.body  # no words of a post in email
    assert kinds == {"space_suspension", "space_mention", "space_moderation", "space_digest"}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_daily_digest_arrives_once_by_email(celery_worker, smtp_sink):
    from tests.world import build_world

    world = build_world()
    _yesterday_reply(world)

    send_space_digests.delay()
    send_space_digests.delay()  # beat fired twice

    def digests():
        return [m for m in smtp_sink.messages if "group-space threads" in str(m["Subject"])]

    wait_until(lambda: digests(), 60, "the digest arrives")
    sent = Delivery.objects.filter(kind="space_digest")
    wait_until(lambda: not sent.exclude(status="sent").exists(), 60, "every digest stamped")
    assert [m["To"] for m in digests()] == [world.users["member"].email]
    assert world.group.name not in str(digests()[0]["Subject"])
