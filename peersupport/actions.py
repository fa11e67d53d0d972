"""One base for POST-only action views (join, leave, RSVP, cancel, approve, ...).

An action is: the permission rule and its object (`PermissionMixin`, the object loaded
with an `<app>/loaders.py` loader), optionally a form that checks the posted input, one
service call, a success message, a redirect. A subclass says only what differs:

    class ComeBackView(GroupActionView):
        permission = "groups.own_membership"

        def act(self, form):
            services.membership_come_back(membership=self.own_membership())
            return _("Welcome back!")

        def get_success_url(self):
            return reverse("groups:inside", args=[self.group.slug])

Bad input becomes `invalid_message` (or the form's first error), a refused action (a
`DomainError` from the service) its message; both go back to `get_failure_url()`, which
is the success URL unless a subclass says otherwise. `ActionMixin` is the same POST for a
page whose GET asks to confirm first.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import View

from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin


class ActionMixin:
    """The POST half of an action, for a page whose GET asks to confirm (a TemplateView)."""

    form_class = None
    invalid_message = ""

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self):
        return self.form_class(self.request.POST, **self.get_form_kwargs())

    def act(self, form) -> str:
        """Call the service; return the success message ("" for none)."""
        raise NotImplementedError

    def get_success_url(self) -> str:
        raise NotImplementedError

    def get_failure_url(self) -> str:
        return self.get_success_url()

    def invalid(self, form) -> str:
        """What to tell the person about unreadable input ("" for nothing)."""
        if self.invalid_message:
            return self.invalid_message
        for errors in form.errors.values():
            return errors[0]
        return _("Please check what you entered.")

    def post(self, request, *args, **kwargs):
        self.form = None
        if self.form_class is not None:
            self.form = self.get_form()
            if not self.form.is_valid():
                problem = self.invalid(self.form)
                if problem:
                    messages.error(request, problem)
                return HttpResponseRedirect(self.get_failure_url())
        try:
            done = self.act(self.form)
        except DomainError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(self.get_failure_url())
        if done:
            messages.success(request, done)
        return HttpResponseRedirect(self.get_success_url())


class ActionView(PermissionMixin, ActionMixin, View):
    """A POST-only action (see the module's docstring)."""

    http_method_names = ["post"]


class RefusePostMixin:
    """For a form page some visitors may see but not send: `post_refusal()` says why this
    person may not post now ("" when they may); a refused post comes back to the page
    with that as an error message."""

    def post_refusal(self) -> str:
        return ""

    def post(self, request, *args, **kwargs):
        reason = self.post_refusal()
        if reason:
            messages.error(request, reason)
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)


class ServiceFormMixin:
    """For a FormView whose valid form is handed to one service.

    `act(form)` calls the service and returns the success message; a `DomainError` puts
    its message on the form (on `error_field`, or the whole form) and shows the page
    again. Success redirects to `get_success_url()`: `success_url`, else this page.
    """

    error_field: str | None = None
    success_url = None

    def act(self, form) -> str:
        raise NotImplementedError

    def get_success_url(self) -> str:
        return str(self.success_url) if self.success_url else self.request.path

    def form_valid(self, form):
        try:
            done = self.act(form)
        except DomainError as error:
            form.add_error(self.error_field, error.message)
            return self.form_invalid(form)
        if done:
            messages.success(self.request, done)
        return HttpResponseRedirect(self.get_success_url())
