"""Links into the group space from other apps' pages, decided by the permission layer."""

from __future__ import annotations

from django import template

from peersupport.permissions import has_perm

register = template.Library()


@register.inclusion_tag("space/fragments/group_link.html", takes_context=True)
def space_group_link(context, group):
    """On the group's member area: the space for who may read it; for a member on a break,
    the page where they may choose to keep reading."""
    user = context["request"].user
    return {
        "group": group,
        "can_read": has_perm(user, "space.read", group),
        "can_choose": has_perm(user, "space.own_settings", group),
    }
