"""The bell in the navigation: the member's unread notifications, read lazily (a page
without the header, or a visitor, costs nothing; a signed-in page one cache round trip,
and one small query when the count changed)."""

from __future__ import annotations

from django.utils.functional import cached_property

from members.notifications import notices_unread_count

# The header is kept rendered per count: from this many on it says "99+".
BELL_MAX = 100


class Bell:
    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        return min(notices_unread_count(self.user), BELL_MAX)

    @property
    def many(self) -> bool:
        return self.unread >= BELL_MAX


def notices(request):
    return {"bell": Bell(getattr(request, "user", None))}
