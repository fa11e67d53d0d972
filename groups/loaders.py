"""Find a group's rows for a view, or answer 404.

Each loader finds the row named by the URL and, given `user` and `perm`, checks that rule
of the one permission layer (`peersupport.permissions`) too: a view that acts on a second
object asks for it here instead of writing `get_object_or_404` and `require` again.
Outsiders get 404 either way, so a guessed slug or id never reveals that a row exists.
Rows that belong to a group are looked up within it, never by id alone.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from groups.models import Organisation, PeerGroup
from peersupport import cache
from peersupport.permissions import require


def found_or_404(row: Any, *, user=None, perm: str = "", hide: bool = True) -> Any:
    """`row`, when there is one and `user` may `perm` on it; else 404 (403 if not `hide`)."""
    if row is None:
        raise Http404
    if perm:
        require(user, perm, row, hide=hide)
    return row


def get_or_404(queryset, *, user=None, perm: str = "", **lookup) -> Any:
    """The one row of `queryset` matching `lookup`, checked like `found_or_404`."""
    return found_or_404(queryset.filter(**lookup).first(), user=user, perm=perm)


def group_or_404(slug: str, *, user=None, perm: str = "") -> PeerGroup:
    """A group with its organisation, by the URL's slug."""
    groups = PeerGroup.objects.select_related("organisation")
    return get_or_404(groups, slug=slug, user=user, perm=perm)


def organisation_key(slug: str) -> str:
    """Where `organisation_or_404` keeps an organisation (for `cache.read_ahead`)."""
    return f"organisation-by-slug:{slug}"


def kept_group_or_404(slug: str, *, user=None, perm: str = "") -> PeerGroup:
    """`group_or_404`, kept under the group's and its organisation's scopes (saving either
    renews the entry): for the pages read far more often than their group changes (a
    group-space thread). A 404 is never kept."""
    group = cache.fetch(
        f"group-by-slug:{slug}",
        (),
        lambda: group_or_404(slug),
        more=lambda group: [f"group:{group.pk}", f"org:{group.organisation_id}"],
    )
    return found_or_404(group, user=user, perm=perm)


def organisation_or_404(slug: str, *, user=None, perm: str = "") -> Organisation:
    """An organisation by the URL's slug, kept under its own scope (saving it renews the
    entry): the dashboards and feeds that name one by slug ask on every request."""

    def load() -> Organisation:
        return get_or_404(Organisation.objects.all(), slug=slug)  # a 404 is never stored

    organisation = cache.fetch(organisation_key(slug), (), load, more=lambda org: [f"org:{org.pk}"])
    return found_or_404(organisation, user=user, perm=perm)


def in_group_or_404(model_or_queryset, group: PeerGroup, pk: int) -> Any:
    """A row that belongs to `group` (a membership, invitation, mentorship...), by id."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    return get_or_404(queryset.all(), group=group, pk=pk)
