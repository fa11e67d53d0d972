"""Signing up, verifying the email address, signing in, resetting a password."""

import re

import pytest
from django.urls import reverse

from members.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


def _confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


def test_signup_requires_email_verification_before_signing_in(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "sam@example.net",
            "display_name": "Sam",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
        follow=True,
    )
    assert "Verify Your Email Address" in response.content.decode()
    user = User.objects.get(email="sam@example.net")
    assert user.display_name == "Sam"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sam@example.net"]

    # Until the link is followed, signing in only leads back to "verify your email".
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "sam@example.net", "password": "a-long-and-unusual-passphrase"},
        follow=True,
    )
    assert "Verify Your Email Address" in response.content.decode()
    assert "_auth_user_id" not in client.session

    link = _confirmation_link(mailoutbox[-1])
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    response = client.post(
        reverse("account_login"),
        {"login": "sam@example.net", "password": "a-long-and-unusual-passphrase"},
        follow=True,
    )
    assert "Welcome, Sam" in response.content.decode()


def test_signup_without_display_name_explains_what_is_missing(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "x@example.net",
            "password1": "pw-long-enough-1",
            "password2": "pw-long-enough-1",
        },
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not User.objects.filter(email="x@example.net").exists()


def test_repeated_failed_sign_ins_are_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_to_the_address(client, mailoutbox):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_admin_sign_in_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())  # signed in, but not staff
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_members_edit_their_profile(client):
    user = UserFactory(display_name="Al")
    client.force_login(user)
    response = client.post(
        reverse("members:profile"),
        {
            "display_name": "Alex",
            "full_name": "Alex Reed",
            "time_zone": "America/New_York",
            "preferred_language": "en",
            "discreet_mode": "on",
        },
        follow=True,
    )
    assert "Your profile is saved." in response.content.decode()
    user.refresh_from_db()
    assert (user.display_name, user.time_zone, user.discreet_mode) == (
        "Alex",
        "America/New_York",
        True,
    )


def test_profile_rejects_an_unknown_time_zone_without_saving(client):
    user = UserFactory(time_zone="Europe/London")
    client.force_login(user)
    response = client.post(
        reverse("members:profile"),
        {"display_name": "X", "time_zone": "Mars/Olympus", "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "Europe/London"
