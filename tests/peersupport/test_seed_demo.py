"""`seed_demo` builds the demo organisation, and running it twice changes nothing."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.utils import timezone

from members.demo import DEMO_PASSWORD
from members.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_the_sign_ins():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = User.objects.count(), Authenticator.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), Authenticator.objects.count()) == counts
    text = out.getvalue()
    for email in ("member@example.org", "facilitator@example.org", "organizer@example.org"):
        assert email in text
    assert "JBSWY3DPEHPK3PXP" in text


def test_demo_accounts_sign_in_and_staff_roles_have_an_authenticator(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert client.login(email="member@example.org", password=DEMO_PASSWORD)
    facilitator = User.objects.get(email="facilitator@example.org")
    assert Authenticator.objects.filter(user=facilitator, type="totp").exists()


def test_demo_looks_right_to_each_role(client):
    from django.urls import reverse

    from feedback.models import GoalReview
    from groups.models import Concern
    from sessions.models import Meeting

    call_command("seed_demo", stdout=io.StringIO())
    # Every upcoming meeting's agenda fits in it (no "90 of 75 minutes planned").
    for meeting in Meeting.objects.filter(status="scheduled").prefetch_related("agenda_items"):
        planned = sum(item.minutes for item in meeting.agenda_items.all())
        assert planned <= meeting.duration_minutes, (meeting, planned)
    # The member has a review waiting on their home page; the organizer a concern.
    review = GoalReview.objects.get(closes_on__gte=timezone.localdate())
    assert client.login(email="member@example.org", password=DEMO_PASSWORD)
    assert review.get_absolute_url() in client.get(reverse("home")).content.decode()
    concern = Concern.objects.get(status="open")
    organizer = User.objects.get(email="organizer@example.org")
    client.force_login(organizer)
    home = client.get(reverse("home"))
    if home.status_code == 302:  # two-step sign-in: the rule is tested elsewhere
        from allauth.mfa.models import Authenticator

        assert Authenticator.objects.filter(user=organizer).exists()
    else:
        assert reverse("groups:concern", args=[concern.pk]) in home.content.decode()
