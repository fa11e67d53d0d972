"""sessions.views: one module per area.

Views find their rows with `sessions.loaders` and `groups.loaders`; POST-only actions
share `peersupport.actions.ActionView`.
"""

from __future__ import annotations


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
