"""RSVP: the meeting page's buttons, one-click links from emails, the facilitator's list."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from peersupport.errors import DomainError
from peersupport.middleware import mark_private
from peersupport.permissions import PermissionMixin
from sessions.forms_rsvp import ConfirmForm, RsvpClosingForm, RsvpForm
from sessions.models import Rsvp
from sessions.selectors import rsvp as selectors_rsvp
from sessions.services import rsvp as services
from sessions.views import meeting_page_or_404

# Lists of meetings with one-click buttons send the person back where they answered.
BACK_TO = {"home": "home", "calendar": "meetings:calendar_feed"}


def rsvp_outcome_message(rsvp: Rsvp) -> str:
    """What the member is told after answering (also on the one-click confirmation)."""
    if rsvp.status == Rsvp.Status.GOING:
        return _("You're going. A confirmation with a calendar invite is on its way.")
    if rsvp.status == Rsvp.Status.WAITLISTED:
        position = selectors_rsvp.rsvp_waitlist_position(rsvp)
        return _(
            "The meeting is full, so you are on the waitlist (number %(n)d). "
            "We'll email you if a seat frees up."
        ) % {"n": position}
    return _("Thanks for letting us know you can't make it.")


class RsvpView(PermissionMixin, View):
    """POST only: going / not going (and in person / online for hybrid meetings)."""

    permission = "meetings.rsvp"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.meeting = meeting_page_or_404(self.kwargs["pk"])
        return self.meeting

    def post(self, request, *args, **kwargs):
        form = RsvpForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please choose going or not going."))
        else:
            try:
                rsvp = services.rsvp_set(
                    meeting=self.meeting,
                    member=request.user,
                    status=form.cleaned_data["status"],
                    mode=form.cleaned_data["mode"],
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, rsvp_outcome_message(rsvp))
            back = form.cleaned_data["back"]
            if back:
                return HttpResponseRedirect(reverse(BACK_TO[back]))
        return HttpResponseRedirect(self.meeting.get_absolute_url() + "#rsvp")


class RsvpLinkView(PermissionMixin, FormView):
    """A one-click link from an email: GET shows what will happen, only POST changes it.

    The signed token stands for the member, so it works without signing in; a forged or
    expired token gets a kind page that points to the meeting page instead.
    """

    permission = "public"
    template_name = "meetings/rsvp/rsvp_link.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.link = services.rsvp_link_load(kwargs["token"])
            self.error = ""
        except DomainError as error:
            self.link, self.error = None, error.message
        return mark_private(super().dispatch(request, *args, **kwargs))

    def get_form(self, form_class=None):
        label = _("Yes, I'm going")
        if self.link and self.link.status == Rsvp.Status.NOT_GOING:
            label = _("Yes, free my seat")
        return ConfirmForm(**self.get_form_kwargs(), label=label)

    def get_context_data(self, **kwargs):
        link = self.link
        return super().get_context_data(
            error=self.error,
            link=link,
            going=bool(link and link.status == Rsvp.Status.GOING),
            meeting=link.meeting if link else None,
            **kwargs,
        )

    def form_valid(self, form):
        if self.link is None:
            return self.render_to_response(self.get_context_data(form=form))
        link = self.link
        try:
            rsvp = services.rsvp_set(meeting=link.meeting, member=link.member, status=link.status)
        except DomainError as error:
            self.error = error.message
            return self.render_to_response(self.get_context_data(form=form))
        return self.render_to_response(
            self.get_context_data(form=form, done=rsvp_outcome_message(rsvp))
        )


class RsvpListView(PermissionMixin, TemplateView):
    """For facilitators: seats, who is going, the waitlist in order, over-capacity."""

    permission = "meetings.rsvp_manage"
    template_name = "meetings/rsvp/rsvp_list.html"

    def get_permission_object(self):
        self.meeting = meeting_page_or_404(self.kwargs["pk"])
        return self.meeting

    def get_context_data(self, **kwargs):
        closing = RsvpClosingForm(initial={"hours": self.meeting.rsvp_closes_hours_before})
        closing.helper.form_action = reverse("meetings:rsvp_closing", args=[self.meeting.pk])
        return super().get_context_data(
            meeting=self.meeting,
            closing_form=closing,
            **selectors_rsvp.meeting_rsvp_list(self.meeting),
            **kwargs,
        )


class RsvpToWaitlistView(PermissionMixin, View):
    """POST only: over capacity, the facilitator moves one person to the head of the line."""

    permission = "meetings.rsvp_manage"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.meeting = meeting_page_or_404(self.kwargs["pk"])
        return self.meeting

    def post(self, request, *args, **kwargs):
        rsvp = get_object_or_404(Rsvp, pk=kwargs["rsvp_pk"], meeting=self.meeting)
        try:
            services.rsvp_move_to_waitlist(rsvp=rsvp, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is now first on the waitlist.") % {"name": rsvp.user.display_name},
            )
        return HttpResponseRedirect(reverse("meetings:rsvp_list", args=[self.meeting.pk]))


class RsvpClosingView(PermissionMixin, View):
    """POST only: when RSVPs close for this meeting."""

    permission = "meetings.rsvp_manage"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.meeting = meeting_page_or_404(self.kwargs["pk"])
        return self.meeting

    def post(self, request, *args, **kwargs):
        form = RsvpClosingForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose between 0 and 336 hours (two weeks)."))
        else:
            try:
                services.rsvp_closing_set(
                    meeting=self.meeting, hours=form.cleaned_data["hours"], by=request.user
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Saved: RSVPs close at the new time."))
        return HttpResponseRedirect(reverse("meetings:rsvp_list", args=[self.meeting.pk]))
