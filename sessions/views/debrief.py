"""Facilitator debriefs after a meeting and the safeguarding lead's escalations."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from groups.loaders import get_or_404
from groups.views.base import OrganisationPermissionMixin
from peersupport.actions import ActionView, ServiceFormMixin
from peersupport.permissions import PermissionMixin
from sessions.forms.debrief import DebriefForm
from sessions.loaders import meeting_or_404
from sessions.models import Debrief
from sessions.services.debrief import debrief_save, escalation_close


class DebriefView(PermissionMixin, ServiceFormMixin, FormView):
    permission = "meetings.debrief"
    template_name = "meetings/debrief/debrief.html"
    form_class = DebriefForm

    def get_permission_object(self):
        self.meeting = meeting_or_404(self.kwargs["pk"])
        self.debrief = Debrief.objects.filter(meeting=self.meeting).first()
        return self.meeting

    def get_initial(self):
        if self.debrief is None:
            return {}
        return {"how_it_went": self.debrief.how_it_went, "concerns": self.debrief.concerns}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, debrief=self.debrief, **kwargs)

    def act(self, form):
        debrief_save(meeting=self.meeting, author=self.request.user, **form.cleaned_data)
        return _("Debrief saved.")

    def get_success_url(self) -> str:
        return reverse("meetings:debrief", args=[self.meeting.pk])


class EscalationsView(OrganisationPermissionMixin, TemplateView):
    """Open escalations of one organisation, for its safeguarding lead."""

    permission = "meetings.escalations"
    template_name = "meetings/debrief/escalations.html"

    def get_context_data(self, **kwargs):
        debriefs = (
            Debrief.objects.filter(meeting__group__organisation=self.organisation)
            .exclude(escalation=Debrief.Escalation.NONE)
            .select_related("meeting__group")
            .order_by("escalation", "-updated_at")
        )
        return super().get_context_data(
            organisation=self.organisation, debriefs=list(debriefs[:100]), **kwargs
        )


class EscalationCloseView(ActionView):
    permission = "meetings.close_escalation"

    def get_permission_object(self):
        debriefs = Debrief.objects.select_related("meeting__group__organisation")
        self.debrief = get_or_404(debriefs, pk=self.kwargs["pk"])
        return self.debrief

    def act(self, form):
        outcome = self.request.POST.get("outcome", "")
        escalation_close(debrief=self.debrief, by=self.request.user, outcome=outcome)
        return _("Escalation closed.")

    def get_success_url(self) -> str:
        organisation = self.debrief.meeting.group.organisation
        return reverse("meetings:escalations", args=[organisation.slug])
