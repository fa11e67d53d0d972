"""The home page's part of the space: links to the spaces this person may read."""

from __future__ import annotations

from groups.selectors import memberships_of
from space.selectors import can_read_space


def home_spaces_part(user) -> dict | None:
    """From the memberships already loaded for the request: no query of its own unless
    the person is on a break somewhere (their choice to keep reading is one query).
    Facilitators learn of posts waiting for them by notification (`space_waiting`) and
    on the board's "Moderation" link."""
    groups = [
        m.group
        for m in memberships_of(user).values()
        if m.is_taking_part and can_read_space(user, m.group)
    ]
    if not groups:
        return None
    return {"groups": sorted(groups, key=lambda g: (g.name, g.pk))}
