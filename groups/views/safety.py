"""Safety and privacy pages of the groups app (issue 11)."""

from __future__ import annotations

from django.views.generic import ListView

from groups.models import AuditEntry
from groups.views.organisations import OrganisationPermissionMixin


class AuditLogView(OrganisationPermissionMixin, ListView):
    """Sensitive actions in one organisation, newest first: organizers only."""

    template_name = "groups/safety/audit_log.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return (
            AuditEntry.objects.filter(organisation=self.permission_object)
            .select_related("actor")
            .order_by("-created_at", "-pk")
        )
