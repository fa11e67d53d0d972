"""The bell in the navigation: the member's unread notifications, read lazily (a page
without the header, or a visitor, costs nothing; a signed-in page one cache round trip,
and one small query when the count changed)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from members.notifications import notices_unread_count

# The header is kept rendered per count: past this many it says "99+".
BELL_MAX = 100


def notices(request):
    user = getattr(request, "user", None)
    return {"nav_unread": SimpleLazyObject(lambda: min(notices_unread_count(user), BELL_MAX))}
