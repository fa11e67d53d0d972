"""Safety and privacy pages of the groups app (issue 11)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from groups.forms.safety import (
    ConcernForm,
    MediationStepForm,
    SafeguardingLeadForm,
    SupportRequestForm,
)
from groups.models import AuditEntry, Concern, Membership, OrganisationRole, SupportRequest
from groups.services import safety
from groups.views.membership import GroupPermissionMixin
from groups.views.organisations import OrganisationPermissionMixin
from members.models import User
from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin, has_perm


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


class ConcernListView(OrganisationPermissionMixin, ListView):
    """Every concern raised in the organisation's groups, open ones first: organizers only.

    Organizers no longer depend on the email link to find a concern; one about the organizer
    themself is not listed (as on the group's follow-ups page).
    """

    template_name = "groups/safety/concern_list.html"
    context_object_name = "concerns"
    paginate_by = 50

    @property
    def closed(self) -> bool:
        return self.request.GET.get("status") == "closed"

    def get_queryset(self):
        concerns = (
            Concern.objects.filter(group__organisation=self.permission_object)
            .exclude(about=self.request.user)
            .select_related("group", "about")
            .order_by("-created_at", "-pk")
        )
        if self.closed:
            return concerns.filter(status=Concern.Status.CLOSED)
        return concerns.exclude(status=Concern.Status.CLOSED)

    def get_context_data(self, **kwargs):
        return super().get_context_data(closed=self.closed, **kwargs)


# --- "I'd like more support" ----------------------------------------------------------
class SupportRequestView(GroupPermissionMixin, FormView):
    """A member asks the group's facilitators, privately, to reach out; sees its status."""

    permission = "groups.ask_support"
    template_name = "groups/safety/support_request.html"
    form_class = SupportRequestForm

    def latest(self):
        return (
            SupportRequest.objects.filter(group=self.group, member=self.request.user)
            .order_by("-updated_at", "-pk")
            .first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(latest=self.latest(), **kwargs)

    def form_valid(self, form):
        safety.support_request_submit(
            group=self.group, member=self.request.user, **form.cleaned_data
        )
        messages.success(
            self.request,
            _("Thank you. The facilitators have your request and will reach out."),
        )
        return redirect("groups:support_request", self.group.slug)


class FollowupsView(GroupPermissionMixin, TemplateView):
    """Open support requests and concerns of one group, for the people who run it."""

    permission = "groups.followups"
    template_name = "groups/safety/followups.html"

    def get_context_data(self, **kwargs):
        requests = SupportRequest.objects.filter(group=self.group).select_related("member")
        concerns = (
            Concern.objects.filter(group=self.group)
            .exclude(about=self.request.user)
            .exclude(status=Concern.Status.CLOSED)
            .select_related("about")
        )
        return super().get_context_data(
            open_requests=[r for r in requests if r.status == "open"],
            handled_requests=[r for r in requests if r.status == "handled"][:20],
            concerns=list(concerns),
            **kwargs,
        )


class SupportRequestHandledView(GroupPermissionMixin, View):
    permission = "groups.followups"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        found = get_object_or_404(SupportRequest, group=self.group, pk=kwargs["pk"])
        safety.support_request_handle(request=found, by=request.user)
        messages.success(request, _("Marked as handled."))
        return redirect("groups:followups", self.group.slug)


# --- concerns ---------------------------------------------------------------------------
class ConcernReportView(GroupPermissionMixin, FormView):
    permission = "groups.report_concern"
    template_name = "groups/safety/concern_form.html"
    form_class = ConcernForm

    def get_form_kwargs(self):
        people = User.objects.filter(
            memberships__group=self.group,
            memberships__status__in=Membership.TAKING_PART,
        ).order_by("display_name")
        return {**super().get_form_kwargs(), "people": people}

    def form_valid(self, form):
        try:
            safety.concern_report(group=self.group, reporter=self.request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Thank you for telling us. The facilitators will look into it in confidence."),
        )
        return redirect("groups:inside", self.group.slug)


class ConcernDetailView(PermissionMixin, FormView):
    """Triage: the concern, its mediation steps, and a form for the next one."""

    permission = "groups.triage_concern"
    template_name = "groups/safety/concern_detail.html"
    form_class = MediationStepForm

    def get_permission_object(self):
        self.concern = get_object_or_404(
            Concern.objects.select_related("group", "about", "reporter"), pk=self.kwargs["pk"]
        )
        return self.concern

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "about_someone": self.concern.about_id is not None}

    def get_context_data(self, **kwargs):
        steps = self.concern.steps.select_related("author")
        return super().get_context_data(
            concern=self.concern, group=self.concern.group, steps=list(steps), **kwargs
        )

    def form_valid(self, form):
        try:
            safety.concern_step_add(
                concern=self.concern, author=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Recorded."))
        return redirect("groups:concern", self.concern.pk)


class SafeguardingLeadsView(OrganisationPermissionMixin, FormView):
    """Organizers see and appoint the organisation's safeguarding leads."""

    template_name = "groups/safety/safeguarding_leads.html"
    form_class = SafeguardingLeadForm

    def get_context_data(self, **kwargs):
        leads = OrganisationRole.objects.filter(
            organisation=self.permission_object, role=OrganisationRole.Role.SAFEGUARDING_LEAD
        ).select_related("user")
        # Organizers appoint leads but do not read escalations: link only for a lead.
        can_read = has_perm(self.request.user, "meetings.escalations", self.permission_object)
        return super().get_context_data(leads=list(leads), can_read_escalations=can_read, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        safety.safeguarding_lead_invite(
            organisation=self.permission_object, email=email, actor=self.request.user
        )
        # The same words whatever the address (see `role_invitation_send`).
        messages.success(
            self.request,
            _("Invitation sent to %(email)s. Nothing changes for them until they accept it.")
            % {"email": email},
        )
        return redirect("groups:safeguarding_leads", self.permission_object.slug)
