"""Notification preferences and the one-click unsubscribe link (issue 8)."""

from __future__ import annotations

from tests.access import LOGIN, Row, expect, signed_in


def _member_token(w) -> list[str]:
    from members.notifications import unsubscribe_token

    return [unsubscribe_token(user=w.users["member"], kind="session_reminder")]


def _member_notice(w) -> list[int]:
    """A notice of the member's, about the group's meeting: only they may open it."""
    from django.contrib.contenttypes.models import ContentType

    from members.models import Notice

    notice, _created = Notice.objects.get_or_create(
        kind="rsvp_confirmed",
        about_type=ContentType.objects.get_for_model(w.meeting),
        about_id=w.meeting.pk,
        recipient=w.users["member"],
        defaults={"title": "Matrix Meeting Notice", "link": w.meeting.get_absolute_url()},
    )
    return [notice.pk]


ROWS = [
    Row("members:notifications", signed_in(200)),
    # Everyone's own list: nobody sees another's notices there.
    Row(
        "members:notices",
        signed_in(200),
        private=lambda w: _member_notice(w) and {"Matrix Meeting Notice": {"member"}},
        note="each signed-in person sees their own notifications",
    ),
    # A guessed id of someone else's notice is answered like one that does not exist.
    Row("members:notice_open", expect(404, anonymous=LOGIN, member=302), args=_member_notice),
    Row(
        "members:notices_read",
        signed_in(302),
        method="post",
        note="marks the poster's own notices read, nobody else's",
    ),
    # The signed link is the authority, for anyone holding it (mail apps fetch it signed out).
    Row(
        "members:unsubscribe",
        expect(200),
        args=_member_token,
        note="a valid link opens the confirmation page for whoever holds it",
    ),
    # The old address only points at the new one; the page there checks who may see it.
    Row(
        "members:group_reminders_moved",
        expect(301),
        args=lambda w: [w.group.slug],
        note="moved to the meetings app; links in earlier emails follow",
    ),
    Row(
        "meetings:group_reminders",
        expect(404, anonymous=LOGIN, facilitator=200, organizer=200),
        args=lambda w: [w.group.slug],
    ),
]
