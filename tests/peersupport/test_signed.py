"""Email link tokens written by `TokenSigner` are Django's tokens, to the character."""

from __future__ import annotations

import time
import zlib
from unittest import mock

import pytest
from django.core import signing
from django.test import override_settings

from members.notifications import KINDS, unsubscribe_token, unsubscribe_token_read
from members.notifications.kinds import UNSUBSCRIBE_SALT
from peersupport.signed import TokenSigner, json_object
from sessions.services.rsvp import LINK_SALT, rsvp_link_token
from tests.factories import UserFactory

PKS = [1, 9, 12345, 2**31 - 1, 10**15]


def _same_second(make, expected):
    """Both made in one second (retried when the clock ticked between them)."""
    for _ in range(5):
        before = int(time.time())
        ours, django = make(), expected()
        if int(time.time()) == before:
            return ours, django
    raise AssertionError("the clock kept ticking")


@pytest.mark.parametrize("pk", PKS)
def test_unsubscribe_token_equals_signing_dumps_for_every_kind(pk):
    user = mock.Mock(pk=pk)
    for kind in KINDS:
        ours, django = _same_second(
            lambda kind=kind: unsubscribe_token(user=user, kind=kind),
            lambda kind=kind: signing.dumps({"u": pk, "k": kind}, salt=UNSUBSCRIBE_SALT),
        )
        assert ours == django


@pytest.mark.parametrize("pk", PKS)
def test_rsvp_link_token_equals_signing_dumps(pk):
    meeting, member = mock.Mock(pk=pk + 7), mock.Mock(pk=pk)
    for status in ("going", "not_going", "waitlisted"):
        ours, django = _same_second(
            lambda status=status: rsvp_link_token(meeting=meeting, member=member, status=status),
            lambda status=status: signing.dumps(
                {"m": pk + 7, "u": pk, "s": status}, salt=LINK_SALT
            ),
        )
        assert ours == django


def test_json_object_is_what_the_json_serializer_writes():
    fields = {"u": 12, "k": 'a "quoted" ünïcode\\kind', "n": -3}
    assert json_object(**fields).encode("latin-1") == signing.JSONSerializer().dumps(fields)


def test_token_follows_the_secret_key_and_old_keys_still_read():
    signer = TokenSigner("test.salt")
    with override_settings(SECRET_KEY="first-" + "k" * 50):
        token = signer.dumps(json_object(u=1))
        assert signing.loads(token, salt="test.salt") == {"u": 1}
    with override_settings(SECRET_KEY="second-" + "k" * 50):
        assert signer.dumps(json_object(u=1)) != token  # a new key signs anew
        with pytest.raises(signing.BadSignature):
            signing.loads(token, salt="test.salt")
    with override_settings(
        SECRET_KEY="second-" + "k" * 50, SECRET_KEY_FALLBACKS=["first-" + "k" * 50]
    ):
        assert signing.loads(token, salt="test.salt") == {"u": 1}


def test_token_is_bound_to_its_salt_and_payload():
    token = TokenSigner("test.salt").dumps(json_object(u=1, k="session_reminder"))
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt="another.salt")
    _payload, stamp, mac = token.split(":")
    other = TokenSigner("test.salt").dumps(json_object(u=2, k="session_reminder"))
    with pytest.raises(signing.BadSignature):
        signing.loads(":".join([other.split(":")[0], stamp, mac]), salt="test.salt")


@pytest.mark.django_db
def test_email_tokens_expire_as_before():
    """The timestamp is the signing time: an unsubscribe link keeps working (no max_age),
    an RSVP link made 60 days ago has expired (45 days)."""
    user = UserFactory()
    sixty_days_ago = time.time() - 60 * 86400
    with mock.patch("time.time", return_value=sixty_days_ago):
        unsubscribe = unsubscribe_token(user=user, kind="session_reminder")
        link = rsvp_link_token(meeting=mock.Mock(pk=1), member=user, status="not_going")
    assert unsubscribe_token_read(unsubscribe) == (user, "session_reminder")
    with pytest.raises(signing.SignatureExpired):
        signing.loads(link, salt=LINK_SALT, max_age=45 * 86400)


@pytest.mark.django_db
def test_unsubscribe_links_sent_compressed_still_work():
    """Tokens were written with `compress=True` (zlib wins for ids with runs of repeated
    digits); links already sent that way still read."""
    user = UserFactory()
    token = signing.dumps(
        {"u": user.pk, "k": "session_reminder"}, salt=UNSUBSCRIBE_SALT, compress=True
    )
    forced = (
        "."
        + signing.b64_encode(
            zlib.compress(signing.JSONSerializer().dumps({"u": user.pk, "k": "session_reminder"}))
        ).decode()
    )
    signed = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(forced)
    for old in (token, signed):
        assert unsubscribe_token_read(old) == (user, "session_reminder")
