"""Roles: members opt in for their group; facilitators confirm a fair rotation per meeting."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from groups import selectors as group_selectors
from groups.views.base import GroupPermissionMixin
from members.models import User
from peersupport.actions import ActionView
from peersupport.errors import DomainError
from sessions.forms.agenda import RoleAssignForm, RoleRemoveForm, WillingnessForm
from sessions.models import MeetingRole
from sessions.selectors import roles as selectors_roles
from sessions.services import roles as role_services
from sessions.views import MeetingPermissionMixin


class RoleWillingnessView(GroupPermissionMixin, TemplateView):
    """A member's own page: which roles they are happy to take in this group's meetings."""

    permission = "meetings.roles_volunteer"
    template_name = "meetings/roles/willingness_form.html"

    def form(self, data=None) -> WillingnessForm:
        current = selectors_roles.roles_willing_of(group=self.group, user=self.request.user)
        return WillingnessForm(
            data,
            initial={"roles": sorted(current)},
            action=reverse("meetings:role_willingness", args=[self.group.slug]),
        )

    def get_context_data(self, **kwargs):
        membership = group_selectors.membership(self.request.user, self.group)
        kwargs.setdefault("form", self.form())
        return super().get_context_data(
            group=self.group,
            on_break=membership is not None and membership.status == membership.Status.ON_BREAK,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            role_services.role_willingness_set(
                group=self.group, user=request.user, roles=form.cleaned_data["roles"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Thank you, your choices are saved."))
        return redirect("meetings:role_willingness", self.group.slug)


class MeetingRolesView(MeetingPermissionMixin, TemplateView):
    """Who serves in this meeting: the suggested rotation, confirmed or changed."""

    permission = "meetings.roles_assign"
    template_name = "meetings/roles/meeting_roles.html"

    def get_context_data(self, **kwargs):
        people = selectors_roles.assignable_members(self.meeting.group)
        action = reverse("meetings:roles", args=[self.meeting.pk])
        rows = selectors_roles.role_rows(meeting=self.meeting)
        posted = kwargs.pop("posted", None)
        for row in rows:
            chosen = row.assigned.user_id if row.assigned else None
            if chosen is None and row.suggestion is not None:
                chosen = row.suggestion.user.pk
            data = posted if posted is not None and posted.get("role") == row.role else None
            row.form = RoleAssignForm(
                data,
                initial={"role": row.role, "user": chosen},
                people=people,
                action=action,
                role=row.role,
                role_label=row.label,
            )
        return super().get_context_data(
            meeting=self.meeting, group=self.meeting.group, rows=rows, people=people, **kwargs
        )

    def post(self, request, *args, **kwargs):
        people = selectors_roles.assignable_members(self.meeting.group)
        form = RoleAssignForm(request.POST, people=people, action="", role="x", role_label="")
        if not form.is_valid():
            messages.error(request, _("Please choose one of the group's active members."))
            return redirect("meetings:roles", self.meeting.pk)
        user = User.objects.get(pk=form.cleaned_data["user"])
        role = form.cleaned_data["role"]
        try:
            role_services.role_assign(meeting=self.meeting, role=role, user=user, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is the %(role)s. We'll let them know by email.")
                % {"name": user.display_name, "role": MeetingRole.Role(role).label.lower()},
            )
        return redirect("meetings:roles", self.meeting.pk)


class MeetingRoleRemoveView(MeetingPermissionMixin, ActionView):
    permission = "meetings.roles_assign"
    form_class = RoleRemoveForm

    def invalid(self, form) -> str:
        return ""  # an unknown role: nothing to undo, nothing to say

    def act(self, form):
        role = form.cleaned_data["role"]
        if role_services.role_unassign(meeting=self.meeting, role=role):
            label = MeetingRole.Role(role).label
            return _("Nobody is the %(role)s now.") % {"role": label.lower()}
        return ""

    def get_success_url(self) -> str:
        return reverse("meetings:roles", args=[self.meeting.pk])
