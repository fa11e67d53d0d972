"""Calendar: "Add to calendar" for one meeting, and each member's private feed."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from peersupport.actions import ActionView
from peersupport.middleware import mark_private
from peersupport.permissions import PermissionMixin
from sessions import feed_cache, selectors
from sessions.models import CalendarFeed
from sessions.selectors import home as selectors_home
from sessions.services import calendar as services

ICS = "text/calendar; charset=utf-8"


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Private to the person: never stored by shared caches.
    return mark_private(response)


class MeetingIcsView(PermissionMixin, View):
    """ "Add to calendar": this meeting for this person (place and link only if entitled)."""

    permission = "meetings.view"

    def get_permission_object(self):
        self.meeting = selectors.meeting_for_page(self.kwargs["pk"])
        if self.meeting is None:
            raise Http404
        return self.meeting

    def get(self, request, *args, **kwargs):
        body = services.meeting_ics(meeting=self.meeting, user=request.user)
        return ics_response(body, "meeting.ics")


class FeedSettingsView(PermissionMixin, TemplateView):
    """The member's private feed address, with rotate and turn-off buttons."""

    permission = "signed_in"
    template_name = "meetings/rsvp/calendar_feed.html"

    def get_context_data(self, **kwargs):
        feed = CalendarFeed.objects.filter(user=self.request.user).first()
        url = ""
        if feed is not None:
            url = self.request.build_absolute_uri(reverse("meetings:feed", args=[feed.token]))
        return super().get_context_data(
            feed_url=url,
            upcoming=selectors_home.member_upcoming_meetings(
                self.request.user, limit=selectors_home.CALENDAR_MEETINGS
            ),
            **kwargs,
        )


class _FeedActionView(ActionView):
    permission = "signed_in"

    def get_success_url(self) -> str:
        return reverse("meetings:calendar_feed")


class FeedRotateView(_FeedActionView):
    """POST only: create the feed, or replace its address (the old one stops working)."""

    def act(self, form):
        existed = CalendarFeed.objects.filter(user=self.request.user).exists()
        services.calendar_feed_rotate(user=self.request.user)
        if existed:
            return _("Your feed has a new address; the old one no longer works.")
        return _("Your calendar feed is ready. Copy its address below.")


class FeedRevokeView(_FeedActionView):
    def act(self, form):
        services.calendar_feed_revoke(user=self.request.user)
        return _("Your calendar feed is turned off.")


class FeedView(PermissionMixin, View):
    """The private feed itself: the token is the key; a revoked token is 404."""

    permission = "public"

    def get(self, request, *args, **kwargs):
        body = feed_cache.feed_body(kwargs["token"], name=gettext_lazy("My peer support meetings"))
        if body is None:
            raise Http404
        return ics_response(body, "meetings.ics")
