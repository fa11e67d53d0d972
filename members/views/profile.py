from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import UpdateView

from members.forms.account import ProfileForm
from members.services.account import member_update_profile
from peersupport.actions import ServiceFormMixin
from peersupport.permissions import PermissionMixin


class ProfileUpdateView(PermissionMixin, ServiceFormMixin, UpdateView):
    permission = "signed_in"
    form_class = ProfileForm
    template_name = "members/profile_form.html"
    success_url = reverse_lazy("members:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def act(self, form):
        member_update_profile(user=self.request.user, data=form.cleaned_data)
        return _("Your profile is saved.")
