"""Members who seem to have drifted away, and the gentle check-in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from groups import selectors as group_selectors
from groups.loaders import group_or_404
from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin
from sessions.selectors.disengagement import disengaged_members
from sessions.services.disengagement import (
    MESSAGE_MAX_LENGTH,
    gentle_checkin_default_message,
    gentle_checkin_send,
)


class GentleCheckinForm(forms.Form):
    member = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"required": gettext_lazy("Please choose a member from the list.")},
    )
    message = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Please write a short message.")},
    )


class _GroupFacilitatorsMixin(PermissionMixin):
    permission = "meetings.disengagement"

    def get_permission_object(self):
        self.group = group_or_404(self.kwargs["slug"])
        # Organizers who run the group but don't facilitate it are told "not allowed"
        # (403); everyone else must not learn that the group exists (404).
        self.hide_denied = not group_selectors.runs_group(self.request.user, self.group)
        return self.group


class DisengagementView(_GroupFacilitatorsMixin, TemplateView):
    template_name = "meetings/disengagement.html"

    def get_context_data(self, *, failed_form=None, **kwargs):
        sender = self.request.user.display_name
        rows = []
        shown = False
        for row in disengaged_members(self.group):
            form = failed_form if failed_form and failed_form.member_id == row.user_id else None
            shown = shown or form is not None
            if form is None:
                form = GentleCheckinForm(
                    initial={
                        "member": row.user_id,
                        "message": gentle_checkin_default_message(
                            member_name=row.display_name, sender_name=sender
                        ),
                    }
                )
            rows.append((row, form))
        return super().get_context_data(
            group=self.group,
            rows=rows,
            # Errors about a member who is not (or no longer) listed go above the list.
            page_errors=failed_form.errors if failed_form and not shown else None,
            message_max_length=MESSAGE_MAX_LENGTH,
            **kwargs,
        )


class GentleCheckinView(DisengagementView):
    """POST only: send one member a check-in, then back to the list."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = GentleCheckinForm(request.POST)
        form.member_id = None
        if not form.is_valid():
            form.member_id = form.cleaned_data.get("member")
            return self._failed(form)
        form.member_id = form.cleaned_data["member"]
        try:
            result = gentle_checkin_send(
                group=self.group,
                member_id=form.member_id,
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self._failed(form)
        name = result.checkin.member.display_name
        if not result.created:
            messages.info(
                request,
                _("A check-in was already sent to %(name)s today, so nothing more was sent.")
                % {"name": name},
            )
        elif result.checkin.emailed:
            sent = _("Your check-in to %(name)s is on its way.")
            messages.success(request, sent % {"name": name})
        else:
            messages.warning(
                request,
                _(
                    "Your check-in to %(name)s was not sent: %(reason)s. It is noted here so "
                    "your co-facilitators know you tried; you may want to reach them another way."
                )
                % {"name": name, "reason": result.checkin.not_sent_reason_text},
            )
        return redirect("meetings:disengagement", self.group.slug)

    def _failed(self, form):
        """Show the list again with the errors next to the form they belong to."""
        return self.render_to_response(self.get_context_data(failed_form=form))
