"""A group's reminder times: how long before each meeting its members are reminded."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from groups.models import PeerGroup
from peersupport.actions import ServiceFormMixin
from peersupport.permissions import PermissionMixin
from sessions.forms.reminders import GroupRemindersForm
from sessions.reminders import group_offsets, reminder_setting_save


class GroupRemindersView(PermissionMixin, ServiceFormMixin, FormView):
    """A group's facilitators choose how long before each meeting members are reminded."""

    permission = "groups.manage"
    form_class = GroupRemindersForm
    template_name = "meetings/group_reminders_form.html"

    def get_permission_object(self):
        self.group = get_object_or_404(PeerGroup, slug=self.kwargs["slug"])
        return self.group

    def get_initial(self):
        return {"offsets": group_offsets(self.group)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)

    def act(self, form):
        reminder_setting_save(group=self.group, offsets=form.cleaned_data["offsets"])
        return _("Reminder times saved.")

    def get_success_url(self) -> str:
        return reverse("meetings:group_reminders", args=[self.group.slug])
