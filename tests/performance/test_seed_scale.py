"""`seed_scale` at a thousandth of the full set: the counts it promises, and pages that work."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from devdata import scale
from feedback.models import CheckinReceipt, CheckinResponse
from groups.models import Membership, PeerGroup, Signature
from members.models import User
from sessions.models import Attendance, CalendarFeed, Meeting, Rsvp

pytestmark = pytest.mark.django_db


def test_seed_scale_tiny_writes_the_promised_rows_that_pages_can_show(client, capsys):
    call_command("seed_scale", scale=0.001)

    plan = scale.Plan.at(0.001)
    assert PeerGroup.objects.count() == plan.groups == 2
    assert User.objects.filter(email__startswith="member").count() == plan.members == 100
    assert Meeting.objects.count() == plan.meetings == 150
    # Per-meeting counts are drawn at random around the mean: within 15 % of the plan.
    assert Rsvp.objects.count() == pytest.approx(plan.rsvps, rel=0.15)
    assert CheckinResponse.objects.count() == pytest.approx(plan.checkins, rel=0.15)
    assert Attendance.objects.count() == pytest.approx(plan.attendance, rel=0.3)
    # Every answer has its receipt, as the real check-in writes them.
    assert CheckinReceipt.objects.count() == CheckinResponse.objects.count()
    out = capsys.readouterr().out
    assert f"member1@{scale.EMAIL_DOMAIN}" in out and scale.PASSWORD in out

    # A member who signed opens an upcoming meeting of their group and sees the place.
    rsvp = (
        Rsvp.objects.filter(
            meeting__starts_at__gt=timezone.now(),
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__group__format=PeerGroup.Format.IN_PERSON,
            status=Rsvp.Status.GOING,
        )
        .select_related("meeting__group", "user")
        .first()
    )
    assert rsvp is not None
    assert Membership.objects.get(user=rsvp.user, group=rsvp.meeting.group).status == "active"
    assert Signature.objects.filter(member=rsvp.user, group=rsvp.meeting.group).exists()
    client.force_login(rsvp.user)
    page = client.get(reverse("meetings:detail", args=[rsvp.meeting.pk]))
    assert page.status_code == 200
    assert rsvp.meeting.group.place in page.content.decode()

    # Its facilitator reaches their dashboard (they have an authenticator app) and finds it.
    client.force_login(rsvp.meeting.facilitator)
    page = client.get(reverse("meetings:facilitator_dashboard"))
    assert page.status_code == 200
    assert f'href="{rsvp.meeting.get_absolute_url()}"' in page.content.decode()

    # The private calendar feed of a seeded member answers.
    feed = CalendarFeed.objects.first()
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 200

    # The first organisation's groups are in the public Meeting Guide feed (the bench's).
    listed = PeerGroup.objects.in_meeting_finders()
    assert listed.count() == PeerGroup.objects.filter(organisation=listed[0].organisation).count()
    assert listed[0].name in client.get(reverse("finders:feed")).content.decode()


def test_seed_scale_refuses_a_database_with_other_data(world):
    with pytest.raises(CommandError, match="already holds other data"):
        call_command("seed_scale", scale=0.001)
    assert not PeerGroup.objects.filter(organisation__slug__startswith="scale-").exists()


def test_seed_scale_refuses_to_seed_twice():
    call_command("seed_scale", scale=0.001)
    with pytest.raises(CommandError, match="already holds a scale data set"):
        call_command("seed_scale", scale=0.001, force=True)


def test_seed_scale_with_force_adds_next_to_existing_data(world, client):
    before = Meeting.objects.count()
    call_command("seed_scale", scale=0.001, force=True)
    # Ids continue after the existing rows: nothing of the world was overwritten.
    assert Meeting.objects.count() == before + scale.Plan.at(0.001).meetings
    assert PeerGroup.objects.filter(slug="harbour-circle").exists()
    client.force_login(world.users["member"])
    assert client.get(reverse("meetings:detail", args=[world.meeting.pk])).status_code == 200
    # New rows still get ids from the sequences after the seeded ones.
    assert Meeting.objects.create(
        group=world.group,
        starts_at=world.meeting.starts_at,
        ends_at=world.meeting.ends_at,
        time_zone="Europe/London",
        format="in_person",
        capacity=12,
    ).pk > max(Meeting.objects.exclude(group=world.group).values_list("pk", flat=True))


def test_seed_scale_writes_group_space_threads_the_bench_can_open(client):
    from space.models import Post, Thread

    call_command("seed_scale", scale=0.001)

    longest = max(Thread.objects.all(), key=lambda t: t.posts.count())
    assert Post.objects.filter(thread=longest).count() == 201  # the opener and 200 replies
    client.force_login(longest.author)
    page = client.get(longest.get_absolute_url())
    assert page.status_code == 200
    assert "Checking in before the next meeting." in page.content.decode()
