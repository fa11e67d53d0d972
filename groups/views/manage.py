"""Setting up a group: organizers create it, facilitators and organizers edit it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, UpdateView

from groups.forms.groups import GroupForm
from groups.loaders import group_or_404
from groups.services import GroupsError
from groups.services import groups as services
from groups.views.base import OrganisationPermissionMixin
from peersupport.actions import ServiceFormMixin
from peersupport.permissions import PermissionMixin


class GroupCreateView(OrganisationPermissionMixin, CreateView):
    form_class = GroupForm
    template_name = "groups/group_form.html"

    def form_valid(self, form):
        try:
            group = services.group_create(
                organisation=self.get_organisation(),
                data=form.cleaned_data,
                actor=self.request.user,
            )
        except GroupsError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The group is set up. Appoint its facilitators on the organisation's people page."),
        )
        return HttpResponseRedirect(group.get_absolute_url())


class GroupUpdateView(PermissionMixin, ServiceFormMixin, UpdateView):
    permission = "groups.manage"
    form_class = GroupForm
    template_name = "groups/group_form.html"
    context_object_name = "group"

    def get_object(self, queryset=None):
        if not hasattr(self, "_group"):
            self._group = group_or_404(self.kwargs["slug"])
        return self._group

    def get_permission_object(self):
        return self.get_object()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("organisation", self.object.organisation)
        return super().get_context_data(**kwargs)

    def act(self, form):
        services.group_update(group=self.object, data=form.cleaned_data)
        return _("The group's details are saved.")

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()
