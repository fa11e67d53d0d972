"""Safety and privacy pages of the groups app."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from groups.forms.safety import (
    ConcernForm,
    MediationStepForm,
    SafeguardingLeadForm,
    SupportRequestForm,
)
from groups.loaders import get_or_404
from groups.models import AuditEntry, Concern, Membership, OrganisationRole, SupportRequest
from groups.services import safety
from groups.views.base import GroupActionView, GroupPermissionMixin, OrganisationPermissionMixin
from members.models import User
from peersupport.actions import ServiceFormMixin
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
class SupportRequestView(GroupPermissionMixin, ServiceFormMixin, FormView):
    """A member asks the group's facilitators, privately, to reach out; sees its status."""

    permission = "groups.ask_support"
    success_page = "groups:support_request"
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

    def act(self, form):
        safety.support_request_submit(
            group=self.group, member=self.request.user, **form.cleaned_data
        )
        return _("Thank you. The facilitators have your request and will reach out.")


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
            # Urgent ones (raised by the app on words of distress) first.
            open_requests=sorted(
                (r for r in requests if r.status == "open"), key=lambda r: not r.urgent
            ),
            handled_requests=[r for r in requests if r.status == "handled"][:20],
            concerns=list(concerns),
            **kwargs,
        )


class SupportRequestHandledView(GroupActionView):
    permission = "groups.followups"
    success_page = "groups:followups"

    def act(self, form):
        found = self.in_group(SupportRequest, self.kwargs["pk"])
        safety.support_request_handle(request=found, by=self.request.user)
        return _("Marked as handled.")


# --- concerns ---------------------------------------------------------------------------
class ConcernReportView(GroupPermissionMixin, ServiceFormMixin, FormView):
    permission = "groups.report_concern"
    success_page = "groups:inside"
    template_name = "groups/safety/concern_form.html"
    form_class = ConcernForm

    def get_form_kwargs(self):
        people = User.objects.filter(
            memberships__group=self.group,
            memberships__status__in=Membership.TAKING_PART,
        ).order_by("display_name")
        return {**super().get_form_kwargs(), "people": people}

    def act(self, form):
        safety.concern_report(group=self.group, reporter=self.request.user, **form.cleaned_data)
        return _("Thank you for telling us. The facilitators will look into it in confidence.")


class ConcernDetailView(PermissionMixin, ServiceFormMixin, FormView):
    """Triage: the concern, its mediation steps, and a form for the next one."""

    permission = "groups.triage_concern"
    template_name = "groups/safety/concern_detail.html"
    form_class = MediationStepForm

    def get_permission_object(self):
        concerns = Concern.objects.select_related("group", "about", "reporter")
        self.concern = get_or_404(concerns, pk=self.kwargs["pk"])
        return self.concern

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "about_someone": self.concern.about_id is not None}

    def get_context_data(self, **kwargs):
        steps = self.concern.steps.select_related("author")
        return super().get_context_data(
            concern=self.concern, group=self.concern.group, steps=list(steps), **kwargs
        )

    def act(self, form):
        safety.concern_step_add(concern=self.concern, author=self.request.user, **form.cleaned_data)
        return _("Recorded.")

    def get_success_url(self) -> str:
        return reverse("groups:concern", args=[self.concern.pk])


class SafeguardingLeadsView(OrganisationPermissionMixin, ServiceFormMixin, FormView):
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

    def act(self, form):
        email = form.cleaned_data["email"]
        safety.safeguarding_lead_invite(
            organisation=self.permission_object, email=email, actor=self.request.user
        )
        # The same words whatever the address (see `role_invitation_send`).
        return _("Invitation sent to %(email)s. Nothing changes for them until they accept it.") % {
            "email": email
        }

    def get_success_url(self) -> str:
        return reverse("groups:safeguarding_leads", args=[self.permission_object.slug])
