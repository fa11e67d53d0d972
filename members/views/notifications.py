"""Notification preferences (`/me/notifications/`) and the one-click unsubscribe page."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, View

from members.forms.notifications import NotificationPreferencesForm, UnsubscribeForm
from members.hooks import preferences_context
from members.notifications import (
    KINDS,
    kinds_offered_to,
    notification_mute,
    notification_preference_get,
    notification_preferences_save,
    person_roles,
    unsubscribe_token_read,
)
from peersupport.actions import ServiceFormMixin
from peersupport.middleware import mark_private
from peersupport.permissions import PermissionMixin


class NotificationPreferencesView(PermissionMixin, ServiceFormMixin, FormView):
    permission = "signed_in"
    form_class = NotificationPreferencesForm
    template_name = "members/notifications/preferences_form.html"

    def get_form_kwargs(self):
        self.kinds = kinds_offered_to(self.request.user)
        return {
            **super().get_form_kwargs(),
            "kinds": self.kinds,
            "facilitates": "facilitator" in person_roles(self.request.user),
        }

    def get_initial(self):
        user = self.request.user
        pref = notification_preference_get(user=user)
        return {
            "email_kinds": [k for k, kind in KINDS.items() if k not in pref.muted_kinds],
            "app_kinds": [k for k, kind in KINDS.items() if k not in pref.app_muted_kinds],
            "quiet_from": pref.quiet_from,
            "quiet_until": pref.quiet_until,
            "quiet_holds_urgent": pref.quiet_holds_urgent,
            "reminder_offsets": pref.reminder_offsets,
            "digest_frequency": pref.digest_frequency,
            "discreet_mode": user.discreet_mode,
            "time_zone": user.time_zone,
        }

    def get_context_data(self, **kwargs):
        # The apps above add theirs (the meetings app: the groups whose reminder times
        # this person sets).
        return super().get_context_data(**preferences_context(self.request.user), **kwargs)

    def act(self, form):
        notification_preferences_save(
            user=self.request.user,
            shown_kinds=[kind.name for kind in self.kinds],
            **form.cleaned_data,
        )
        return _("Your notification preferences are saved.")

    def get_success_url(self) -> str:
        return reverse("members:notifications")


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(PermissionMixin, View):
    """GET asks to confirm; POST stops that kind of email (RFC 8058 one-click).

    CSRF-exempt because mail providers POST `List-Unsubscribe=One-Click` without a token;
    the signed link is the authority, and all it can do is stop one kind of email.
    """

    permission = "public"
    template_name = "members/notifications/unsubscribe.html"

    def dispatch(self, request, *args, **kwargs):
        self.found = unsubscribe_token_read(kwargs["token"])
        return mark_private(super().dispatch(request, *args, **kwargs))

    def _page(self, status: int = 200, **context):
        context.setdefault("kind_label", "")
        context.setdefault("form", None)
        context.setdefault("done", False)
        context["valid"] = self.found is not None
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, token: str):
        if self.found is None:
            return self._page(status=400)
        return self._page(kind_label=KINDS[self.found[1]].label, form=UnsubscribeForm())

    def post(self, request, token: str):
        if self.found is None:
            return self._page(status=400)
        user, kind = self.found
        notification_mute(user=user, kind=kind)
        return self._page(kind_label=KINDS[kind].label, done=True)
