"""`{% group_upcoming_meetings group %}`: a group's next meetings, with links, on the
group's pages (the groups app's templates include it without importing meetings)."""

from __future__ import annotations

from django import template

from peersupport.permissions import has_perm
from sessions.selectors.home import group_upcoming_meetings

register = template.Library()


@register.inclusion_tag("meetings/fragments/group_upcoming.html", takes_context=True)
def group_upcoming_meetings_list(context, group):
    """Only for who may open the group's meetings (members, who runs it); nothing, and
    no query, for anyone else, so visitors' cached copies never hold the list."""
    user = context["request"].user
    if not has_perm(user, "meetings.list", group):
        return {"shown": False}
    return {"shown": True, "group": group, "meetings": group_upcoming_meetings(group)}
