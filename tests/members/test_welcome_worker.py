"""The welcome email goes out through the real Celery worker over Redis, exactly once."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed

from members.tasks import send_welcome
from tests.factories import UserFactory
from tests.fixtures.mail import body_text

pytestmark = pytest.mark.worker


def test_verified_member_receives_one_welcome_email_from_the_worker(celery_worker, smtp_sink):
    user = UserFactory(display_name="Jo", verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    [message] = smtp_sink.wait_for(1)
    assert message["To"] == user.email
    assert message["Subject"] == "Welcome to peersupport"
    assert "Hello Jo" in body_text(message)
    assert message.get_body(preferencelist=("html",)) is not None

    # A second delivery of the same task (a retry, a redelivery) sends nothing.
    duplicate = send_welcome.apply_async(args=[user.pk], ignore_result=False)
    assert duplicate.get(timeout=30) is False
    assert len(smtp_sink.messages) == 1
    user.refresh_from_db()
    assert user.welcomed_at is not None
