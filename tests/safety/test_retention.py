"""Retention: contact logs and handled follow-ups are purged per organisation's policy."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from groups.models import ContactAccessLog, RetentionPolicy, SupportRequest
from groups.services.safety import support_request_handle, support_request_submit
from groups.tasks import purge_by_retention

pytestmark = pytest.mark.django_db


def test_the_purge_runs_daily_from_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["groups-purge-by-retention"]
    assert entry["task"] == "groups.tasks.purge_by_retention"


def test_old_logs_and_handled_followups_go_recent_and_open_ones_stay(world):
    RetentionPolicy.objects.create(
        organisation=world.organisation, contact_log_days=30, followup_days=7
    )
    long_ago = timezone.now() - datetime.timedelta(days=40)
    old_log = ContactAccessLog.objects.create(
        group=world.group, viewer=world.users["facilitator"], member=world.users["member"]
    )
    ContactAccessLog.objects.filter(pk=old_log.pk).update(created_at=long_ago)
    ContactAccessLog.objects.create(
        group=world.group, viewer=world.users["facilitator"], member=world.users["on_break"]
    )
    handled = support_request_submit(
        group=world.group, member=world.users["member"], message="", contact_way="email"
    )
    support_request_handle(request=handled, by=world.users["facilitator"])
    SupportRequest.objects.filter(pk=handled.pk).update(handled_at=long_ago)
    still_open = support_request_submit(
        group=world.group, member=world.users["on_break"], message="", contact_way="email"
    )

    assert purge_by_retention.delay().get() == 2
    assert purge_by_retention.delay().get() == 0  # a rerun deletes nothing more

    assert not ContactAccessLog.objects.filter(pk=old_log.pk).exists()
    assert ContactAccessLog.objects.count() == 1
    assert list(SupportRequest.objects.all()) == [still_open]


def test_another_organisation_keeps_its_own_longer_period(world):
    other_group = world.other_group  # same organisation; build one in the other org
    from tests.factories import PeerGroupFactory

    elsewhere = PeerGroupFactory(organisation=world.other_organisation)
    RetentionPolicy.objects.create(organisation=world.organisation, contact_log_days=30)
    for group in (other_group, elsewhere):
        log = ContactAccessLog.objects.create(
            group=group, viewer=world.users["organizer"], member=world.users["member"]
        )
        ContactAccessLog.objects.filter(pk=log.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=60)
        )

    purge_by_retention.delay().get()

    assert list(ContactAccessLog.objects.values_list("group", flat=True)) == [elsewhere.pk]
