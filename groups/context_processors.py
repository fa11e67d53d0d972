"""Navigation values every page needs, computed lazily: a page that never shows them
(or a visitor) costs no query; a signed-in page costs the two cached role queries."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from groups import selectors
from groups.services.organisations import role_invitations_pending


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_runs_groups": SimpleLazyObject(lambda: selectors.runs_any_group(user)),
        "my_memberships": SimpleLazyObject(lambda: selectors.current_memberships_of(user)),
        # Shown on the home page only: one query there, none elsewhere.
        "my_role_invitations": SimpleLazyObject(lambda: _role_invitations(user)),
    }


def _role_invitations(user) -> list:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(role_invitations_pending(user))
