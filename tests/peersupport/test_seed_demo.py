"""`seed_demo` builds the demo organisation, and running it twice changes nothing."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

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
