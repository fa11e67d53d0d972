"""RSVP: the meeting page's buttons, one-click links from emails, the facilitator's list."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from groups.loaders import get_or_404
from peersupport.actions import ActionView
from peersupport.errors import DomainError
from peersupport.middleware import mark_private
from peersupport.permissions import PermissionMixin, has_perm
from sessions.forms.rsvp import ConfirmForm, RsvpAccessNeedsForm, RsvpClosingForm, RsvpForm
from sessions.models import Rsvp
from sessions.selectors import rsvp as selectors_rsvp
from sessions.services import rsvp as services
from sessions.views import MeetingPagePermissionMixin

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


class RsvpView(MeetingPagePermissionMixin, ActionView):
    """POST only: going / not going (and in person / online for hybrid meetings)."""

    permission = "meetings.rsvp"
    form_class = RsvpForm
    invalid_message = gettext_lazy("Please choose going or not going.")

    def act(self, form):
        rsvp = services.rsvp_set(
            meeting=self.meeting,
            member=self.request.user,
            status=form.cleaned_data["status"],
            mode=form.cleaned_data["mode"],
        )
        return rsvp_outcome_message(rsvp)

    def get_success_url(self) -> str:
        back = self.form.cleaned_data.get("back") if self.form.is_valid() else ""
        if back:
            return reverse(BACK_TO[back])
        return self.meeting.get_absolute_url() + "#rsvp"


class RsvpAccessNeedsView(MeetingPagePermissionMixin, ActionView):
    """POST only: the member's private note of what helps them take part."""

    permission = "meetings.rsvp"
    form_class = RsvpAccessNeedsForm

    def act(self, form):
        rsvp = services.rsvp_access_needs_set(
            meeting=self.meeting, member=self.request.user, text=form.cleaned_data["access_needs"]
        )
        if rsvp.access_needs:
            return _("Thank you. The facilitators will see what helps you take part.")
        return _("Your note to the facilitators is removed.")

    def get_success_url(self) -> str:
        return self.meeting.get_absolute_url() + "#rsvp"


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


class RsvpListView(MeetingPagePermissionMixin, TemplateView):
    """For facilitators: seats, who is going, the waitlist in order, over-capacity."""

    permission = "meetings.rsvp_manage"
    template_name = "meetings/rsvp/rsvp_list.html"

    def get_context_data(self, **kwargs):
        closing = RsvpClosingForm(initial={"hours": self.meeting.rsvp_closes_hours_before})
        closing.helper.form_action = reverse("meetings:rsvp_closing", args=[self.meeting.pk])
        return super().get_context_data(
            meeting=self.meeting,
            closing_form=closing,
            can_see_access_needs=has_perm(
                self.request.user, "meetings.rsvp_access_needs", self.meeting
            ),
            **selectors_rsvp.meeting_rsvp_list(self.meeting),
            **kwargs,
        )


class _RsvpManageView(MeetingPagePermissionMixin, ActionView):
    permission = "meetings.rsvp_manage"

    def get_success_url(self) -> str:
        return reverse("meetings:rsvp_list", args=[self.meeting.pk])


class RsvpToWaitlistView(_RsvpManageView):
    """POST only: over capacity, the facilitator moves one person to the head of the line."""

    def act(self, form):
        rsvps = Rsvp.objects.filter(meeting=self.meeting)
        rsvp = get_or_404(rsvps, pk=self.kwargs["rsvp_pk"])
        services.rsvp_move_to_waitlist(rsvp=rsvp, by=self.request.user)
        return _("%(name)s is now first on the waitlist.") % {"name": rsvp.user.display_name}


class RsvpClosingView(_RsvpManageView):
    """POST only: when RSVPs close for this meeting."""

    form_class = RsvpClosingForm
    invalid_message = gettext_lazy("Choose between 0 and 336 hours (two weeks).")

    def act(self, form):
        hours = form.cleaned_data["hours"]
        services.rsvp_closing_set(meeting=self.meeting, hours=hours, by=self.request.user)
        return _("Saved: RSVPs close at the new time.")
