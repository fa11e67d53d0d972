"""Notification preferences and the one-click unsubscribe link (issue 8)."""

from __future__ import annotations

from tests.access import LOGIN, Row, expect, signed_in


def _member_token(w) -> list[str]:
    from members.notifications import unsubscribe_token

    return [unsubscribe_token(user=w.users["member"], kind="session_reminder")]


ROWS = [
    Row("members:notifications", signed_in(200)),
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
