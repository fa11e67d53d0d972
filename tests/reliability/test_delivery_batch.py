"""A batch of a fan-out costs a fixed handful of queries, not a few per message.

Tasks run in-process here (rows are left pending: the fan-out's transaction never commits
inside the test); mail goes over real SMTP to the aiosmtpd sink.
"""

from __future__ import annotations

import pytest

from members.models import Delivery, EmailBounce, NotificationPreference, User
from members.notifications import deliveries_send
from sessions.models import Rsvp
from sessions.reminders import reminders_fan_out
from tests.reliability.conftest import report
from tests.reliability.crowds import meeting_with_members_going
from tests.support import max_queries

pytestmark = pytest.mark.django_db

# claim, rows, meeting, its group, the organisation's default language (for members who
# chose none; then kept a minute), addresses, bounces, preferences (muted kinds and quiet
# hours in one), "still going", and one stamp per 5 hand-offs (STAMP_EVERY): 9 + 10 for
# 50 messages.
BUDGET_50 = 19


def _batch(meeting) -> list[int]:
    reminders_fan_out(meeting_id=meeting.pk, offset=1440)
    return list(Delivery.objects.filter(about_id=meeting.pk).values_list("pk", flat=True))


def test_a_batch_of_50_reminders_runs_a_fixed_number_of_queries(smtp_sink):
    meeting, addresses = meeting_with_members_going(50)
    ids = _batch(meeting)
    with max_queries(BUDGET_50) as captured:
        outcomes = deliveries_send(delivery_ids=ids)
    assert sorted(outcomes.values()) == ["sent"] * 50
    assert {str(m["To"]) for m in smtp_sink.wait_for(50)} == addresses
    assert Delivery.objects.filter(pk__in=ids, status="sent").count() == 50
    # Run again (a redelivered task): one claim statement, nothing sent.
    with max_queries(1):
        assert deliveries_send(delivery_ids=ids) == {}
    assert len(smtp_sink.messages) == 50
    report("fan-out", f"a batch of 50 reminders: {len(captured)} queries")


def test_a_mixed_batch_skips_each_row_with_its_own_reason(smtp_sink):
    meeting, _addresses = meeting_with_members_going(8)
    ids = _batch(meeting)
    users = list(User.objects.filter(rsvps__meeting=meeting).order_by("pk"))
    EmailBounce.objects.create(email=users[0].email.lower(), reason="550")
    NotificationPreference.objects.create(user=users[1], muted_kinds=["session_reminder"])
    Rsvp.objects.filter(meeting=meeting, user=users[2]).update(status="not_going")
    User.objects.filter(pk=users[3].pk).update(is_active=False)
    users[4].emailaddress_set.update(verified=False)

    deliveries_send(delivery_ids=ids)

    reasons = dict(Delivery.objects.filter(pk__in=ids).values_list("recipient_id", "last_error"))
    assert reasons[users[0].pk] == "address bounced before"
    assert reasons[users[1].pk] == "turned off by the member"
    assert reasons[users[2].pk] == "no longer going or no longer an active member"
    assert reasons[users[3].pk] == "account is inactive"
    assert reasons[users[4].pk] == "no verified email address"
    sent = smtp_sink.wait_for(3)
    assert sorted(str(m["To"]) for m in sent) == sorted(u.email for u in users[5:])
