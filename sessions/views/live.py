"""The live meeting view: agenda with countdown, speaking order, attendance check-in.

State lives on the server; the page polls a fragment (htmx), so a reload or a second
phone (the timekeeper's) shows the same thing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import View

from peersupport.errors import DomainError
from peersupport.permissions import has_perm
from sessions.forms.agenda import CheckinForm, LiveSpeakersForm, LiveStepForm
from sessions.selectors import live as selectors_live
from sessions.services import live as live_services
from sessions.views import MeetingPermissionMixin, is_htmx

PANEL = "meetings/live/fragments/live_panel.html"
PAGE = "meetings/live/live.html"


class LiveMixin(MeetingPermissionMixin):
    permission = "meetings.live"

    def respond(self, *, status_message: str = "", error: str = ""):
        self.meeting.refresh_from_db()
        user = self.request.user
        runs = has_perm(user, "meetings.live_run", self.meeting)
        context = {
            "meeting": self.meeting,
            # Timekeepers and note-takers get the timers and the agenda, nothing about people.
            "live": selectors_live.live_state(self.meeting, with_people=runs),
            "can_run": runs,
            "can_time": runs or has_perm(user, "meetings.live_time", self.meeting),
            "status_message": status_message,
            "error": error,
            "fragment": is_htmx(self.request),
        }
        if is_htmx(self.request):
            return render(self.request, PANEL, context)
        return render(self.request, PAGE, context)

    def after(self, action, *, message: str = ""):
        """Run a service; htmx gets the fresh panel, plain forms a redirect."""
        try:
            action()
        except DomainError as err:
            if is_htmx(self.request):
                return self.respond(error=err.message, status_message=err.message)
            messages.error(self.request, err.message)
        else:
            if is_htmx(self.request):
                return self.respond(status_message=message)
        return redirect("meetings:live", self.meeting.pk)


class LivePostView(LiveMixin, View):
    """A button on the live panel: its form is checked, then `posted(data)` answers."""

    http_method_names = ["post"]
    form_class: type | None = None

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.respond(error=_("Please reload the page and try again."))
        return self.posted(form.cleaned_data)

    def posted(self, data):
        raise NotImplementedError


class LiveView(LiveMixin, View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return self.respond()


class LiveStepView(LivePostView):
    permission = "meetings.live_time"
    form_class = LiveStepForm

    def posted(self, data):
        action = data["action"]
        if action == "start":
            return self.after(
                lambda: live_services.live_start(meeting=self.meeting),
                message=_("The meeting has started."),
            )
        step = 1 if action == "next" else -1
        return self.after(
            lambda: live_services.live_step(meeting=self.meeting, step=step),
            message=_("Moved to the next item.") if step == 1 else _("Back to the previous item."),
        )


class LiveSpeakersView(LivePostView):
    permission = "meetings.live_run"
    form_class = LiveSpeakersForm

    def posted(self, data):
        action = data["action"]
        done = {
            "shuffle": _("A new speaking order is ready."),
            "next": _("Next speaker."),
            "pass": _("Passed; next speaker."),
            "skip": _("Skipped for now; they will be asked again at the end."),
        }[action]
        return self.after(
            lambda: live_services.live_speakers(meeting=self.meeting, action=action), message=done
        )


class LiveCheckinView(LivePostView):
    """Only an active member of the group can be checked in; anyone else is a 404, so the
    answer never names a person the panel did not show."""

    permission = "meetings.live_run"
    form_class = CheckinForm

    def posted(self, data):
        person = selectors_live.checkin_person(self.meeting, data["user"])
        if person is None:
            raise Http404
        present = data["present"]
        message = (
            _("%(name)s is checked in.") if present else _("%(name)s is no longer checked in.")
        ) % {"name": person.display_name}
        return self.after(
            lambda: live_services.live_checkin(
                meeting=self.meeting, user=person, present=present, by=self.request.user
            ),
            message=message,
        )
