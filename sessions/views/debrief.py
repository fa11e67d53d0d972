"""Facilitator debriefs after a meeting and the safeguarding lead's escalations (issue 11)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from groups.models import Organisation
from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin
from sessions.models import Debrief, Meeting
from sessions.services.debrief import debrief_save, escalation_close


class DebriefForm(forms.Form):
    how_it_went = forms.CharField(label=gettext_lazy("How it went"), widget=forms.Textarea)
    concerns = forms.CharField(
        label=gettext_lazy("Anything of concern"), widget=forms.Textarea, required=False
    )
    escalate = forms.BooleanField(
        label=gettext_lazy("Escalate to the organisation's safeguarding lead"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save debrief")))


class DebriefView(PermissionMixin, FormView):
    permission = "meetings.debrief"
    template_name = "meetings/debrief/debrief.html"
    form_class = DebriefForm

    def get_permission_object(self):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("group"), pk=self.kwargs["pk"]
        )
        self.debrief = Debrief.objects.filter(meeting=self.meeting).first()
        return self.meeting

    def get_initial(self):
        if self.debrief is None:
            return {}
        return {"how_it_went": self.debrief.how_it_went, "concerns": self.debrief.concerns}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, debrief=self.debrief, **kwargs)

    def form_valid(self, form):
        try:
            debrief_save(meeting=self.meeting, author=self.request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Debrief saved."))
        return redirect("meetings:debrief", self.meeting.pk)


class EscalationsView(PermissionMixin, TemplateView):
    """Open escalations of one organisation, for its safeguarding lead."""

    permission = "meetings.escalations"
    template_name = "meetings/debrief/escalations.html"

    def get_permission_object(self):
        self.organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"])
        return self.organisation

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


class EscalationCloseView(PermissionMixin, View):
    permission = "meetings.close_escalation"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.debrief = get_object_or_404(
            Debrief.objects.select_related("meeting__group__organisation"), pk=self.kwargs["pk"]
        )
        return self.debrief

    def post(self, request, *args, **kwargs):
        try:
            escalation_close(
                debrief=self.debrief, by=request.user, outcome=request.POST.get("outcome", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Escalation closed."))
        return redirect("meetings:escalations", self.debrief.meeting.group.organisation.slug)
