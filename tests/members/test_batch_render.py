"""A batch of reminders renders each variant once and fills in what is each member's own.

Through the real path: ledger rows from the fan-out, `deliveries_send` over real SMTP to
the sink (tasks run in-process; the fan-out's transaction never commits in a test).
"""

from __future__ import annotations

import datetime
import re
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import get_connection
from django.utils import timezone

from members.models import Delivery
from members.notifications import (
    deliveries_send,
    delivery_message,
    recipient_addresses,
    unsubscribe_token_read,
)
from members.notifications.batch import BatchRenderer, variant_key
from sessions.reminders import reminders_fan_out
from sessions.services.rsvp import rsvp_link_load
from tests.factories import MeetingFactory, MembershipFactory, PeerGroupFactory, UserFactory
from tests.fixtures.mail import body_text

pytestmark = pytest.mark.django_db

GROUP = "Tom & Jerry's <Harbour> Circle"


@pytest.fixture
def crowd():
    """A meeting in 23 hours and members who differ in everything a reminder depends on;
    two of them (Zoë and Ann) share a variant, so one rendering serves both."""
    from sessions.models import Rsvp

    group = PeerGroupFactory(name=GROUP)
    starts = (timezone.now() + datetime.timedelta(hours=23)).replace(microsecond=0)
    meeting = MeetingFactory(
        group=group,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        topic="Sleep & <worry>",
    )
    people = {
        "zoe": UserFactory(display_name="Zoë <b>O'Hara</b> & co", time_zone="America/New_York"),
        "ann": UserFactory(display_name="Ann", time_zone="America/New_York"),
        "sam": UserFactory(
            display_name="Sam", time_zone="Asia/Tokyo", discreet_mode=True, preferred_language="fr"
        ),
        "eva": UserFactory(
            display_name="Eva",
            time_zone="Europe/Madrid",
            preferred_language="es",
            # Longer than one header line: the email package folds the To header.
            email="eva.a-rather-long-address-for-a-folded-to-header@example-long-domain.net",
        ),
        "kim": UserFactory(display_name="Kim", email="kim+o'neil@example.net"),
    }
    for user in people.values():
        MembershipFactory(group=group, user=user, status="active")
        Rsvp.objects.create(meeting=meeting, user=user, status="going")
    reminders_fan_out(meeting_id=meeting.pk, offset=1440)
    ids = list(Delivery.objects.filter(about_id=meeting.pk).values_list("pk", flat=True))
    return meeting, people, ids


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", body_text(message))


GREETINGS = {"": "Hello {name},", "es": "Hola, {name}:", "fr": "Bonjour {name},"}


def test_members_in_one_batch_each_get_their_own_reminder(crowd, smtp_sink):
    meeting, people, ids = crowd
    outcomes = deliveries_send(delivery_ids=ids)
    assert sorted(outcomes.values()) == ["sent"] * 5
    received = {str(m["To"]): m for m in smtp_sink.wait_for(5)}
    assert len(smtp_sink.messages) == 5
    assert set(received) == {u.email for u in people.values()}

    for key, user in people.items():
        message = received[user.email]
        text = body_text(message)
        html = message.get_body(preferencelist=("html",)).get_content()
        # Their own name, in their own language's greeting: as typed in the text, escaped
        # in the HTML; nobody else's.
        greeting = GREETINGS[user.preferred_language]
        assert greeting.format(name=user.display_name) in text
        assert "Zoë &lt;b&gt;O&#x27;Hara&lt;/b&gt; &amp; co" in html if key == "zoe" else True
        others = {u.display_name for k, u in people.items() if k != key}
        assert not any(g.format(name=n) in text for n in others for g in GREETINGS.values())
        # Their own links: the unsubscribe and "can't make it" links are signed for them.
        unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
        assert unsubscribe in text
        assert unsubscribe_token_read(unsubscribe.rstrip("/").rsplit("/", 1)[1]) == (
            user,
            "session_reminder",
        )
        cant_make_it = next(link for link in _links(message) if "/rsvp/" in link)
        assert rsvp_link_load(cant_make_it.rstrip("/").rsplit("/", 1)[1]).member == user
        # Their own zone: the time in the body is the meeting's start where they live.
        local = meeting.starts_at.astimezone(ZoneInfo(user.time_zone))
        assert f"{local:%H:%M} ({user.time_zone})" in text
        # Subjects never name the group; in discreet mode bodies don't either.
        assert "Harbour" not in message["Subject"]
        assert ("Harbour" in text) is not user.discreet_mode

    # Their own language: weekday names in French (Sam, in Tokyo) and Spanish (Eva).
    weekday = meeting.starts_at.astimezone(ZoneInfo("Asia/Tokyo")).weekday()
    assert ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][
        weekday
    ] in str(received[people["sam"].email]["Subject"])
    weekday = meeting.starts_at.astimezone(ZoneInfo("Europe/Madrid")).weekday()
    assert ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"][
        weekday
    ] in str(received[people["eva"].email]["Subject"])
    assert "Topic: Sleep & <worry>" in body_text(received[people["ann"].email])
    assert (
        "Sleep &amp; &lt;worry&gt;"
        in received[people["ann"].email].get_body(preferencelist=("html",)).get_content()
    )


def _same_second(make):
    """Signed links carry a timestamp in seconds: build both versions within one second."""
    while True:
        second = int(time.time())
        result = make()
        if int(time.time()) == second:
            return result


def test_shared_render_writes_exactly_the_message_rendered_alone(crowd, smtp_sink):
    """Byte for byte what Django writes for the message rendered on its own (the boundary
    and the Date header aside, which differ between any two messages)."""
    _meeting, _people, ids = crowd
    deliveries = list(Delivery.objects.filter(pk__in=ids).select_related("recipient"))
    addresses = recipient_addresses([d.recipient_id for d in deliveries])
    renderer = BatchRenderer(get_connection())
    written = 0
    for delivery in deliveries:
        address = addresses[delivery.recipient_id]

        def both(delivery=delivery, address=address):
            shared = renderer.message(delivery=delivery, address=address)
            alone = delivery_message(delivery=delivery, address=address)
            return shared, alone

        shared, alone = _same_second(both)
        skeleton = renderer.variants[variant_key(delivery)].skeleton
        alone.boundary = skeleton.boundary
        expected = alone.message().as_bytes(linesep="\r\n")
        if hasattr(shared, "raw"):
            written += 1
            got = shared.raw
        else:  # an address Django writes its own way: built by Django in full
            shared.boundary = skeleton.boundary
            got = shared.message().as_bytes(linesep="\r\n")
        date = re.compile(rb"\r\nDate: [^\r]*")
        assert date.sub(b"", got) == date.sub(b"", expected), address
    # Kim's address (an apostrophe) is left to Django; the other four are written once.
    assert written == 4
