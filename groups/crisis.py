"""Whose crisis helplines the crisis page shows: registered with `peersupport.views`."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from groups.models import Organisation, PeerGroup

_GROUP_PAGE = re.compile(r"^/groups/([-a-zA-Z0-9_]+)/")


def crisis_organisation(request) -> Organisation | None:
    """The organisation named by `?org=<slug>`, or whose group page the visitor came from."""
    slug = request.GET.get("org", "")
    if slug:
        return Organisation.objects.filter(slug=slug[:100]).first()
    match = _GROUP_PAGE.match(urlsplit(request.headers.get("Referer", "")).path)
    if match:
        group = PeerGroup.objects.select_related("organisation").filter(slug=match[1]).first()
        return group.organisation if group else None
    return None
