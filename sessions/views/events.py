"""Community events: an organisation's public calendar, its feed, event pages and RSVP."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from groups.cache import CachedForVisitorsMixin
from groups.loaders import organisation_or_404
from groups.views.base import OrganisationPermissionMixin
from peersupport.actions import ActionView, ServiceFormMixin
from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin, has_perm
from sessions.forms.rsvp import EventForm
from sessions.loaders import event_or_404
from sessions.models import Rsvp
from sessions.selectors import rsvp as selectors_rsvp
from sessions.services import calendar as calendar_services
from sessions.services import events as services
from sessions.views.calendar import ics_response


class OrganisationCalendarView(PermissionMixin, TemplateView):
    """Public: the organisation's upcoming community events, and the feed to subscribe to."""

    permission = "public"
    template_name = "meetings/events/organisation_calendar.html"

    def get_context_data(self, **kwargs):
        organisation = organisation_or_404(self.kwargs["slug"])
        feed = reverse("meetings:organisation_feed", args=[organisation.slug])
        return super().get_context_data(
            organisation=organisation,
            events=list(selectors_rsvp.organisation_events(organisation)),
            feed_url=self.request.build_absolute_uri(feed),
            can_manage=has_perm(self.request.user, "meetings.events_manage", organisation),
            **kwargs,
        )


class OrganisationFeedView(PermissionMixin, CachedForVisitorsMixin, View):
    permission = "public"
    public_cache_name = "organisation-feed"

    def get_permission_object(self):
        # For visitors the organisation kept with the feed, once proven current.
        return self.public_object()

    def public_object_key(self):
        return self.kwargs["slug"]

    def public_object_load(self):
        return organisation_or_404(self.kwargs["slug"])

    def public_cache_scopes(self, organisation):
        # Its own row is covered too: saving an organisation renews "all" and this scope.
        return (f"organisation:{organisation.pk}",)

    def get(self, request, *args, **kwargs):
        organisation = self.public_object()
        events = selectors_rsvp.organisation_events(organisation)
        body = calendar_services.events_ics(events=events, name=organisation.name)
        response = ics_response(body, "events.ics")
        response["Cache-Control"] = "public, max-age=300"
        return response


class EventCreateView(OrganisationPermissionMixin, ServiceFormMixin, FormView):
    permission = "meetings.events_manage"
    form_class = EventForm
    template_name = "meetings/events/event_create.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)

    def act(self, form):
        data = form.cleaned_data
        self.event = services.event_create(
            organisation=self.organisation,
            by=self.request.user,
            title=data["title"],
            description=data["description"],
            day=data["date"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
            time_zone=data["time_zone"],
            capacity=data["capacity"],
            place=data["place"],
            online_link=data["online_link"],
        )
        return _("The event is published on your calendar.")

    def get_success_url(self) -> str:
        return self.event.get_absolute_url()


class EventDetailView(PermissionMixin, TemplateView):
    permission = "public"
    template_name = "meetings/events/event_detail.html"

    def get_context_data(self, **kwargs):
        event = event_or_404(self.kwargs["pk"])
        user = self.request.user
        rsvp = selectors_rsvp.event_rsvp_of(user, event)
        return super().get_context_data(
            event=event,
            rsvp=rsvp,
            going=bool(rsvp and rsvp.status == Rsvp.Status.GOING),
            waiting=bool(rsvp and rsvp.status == Rsvp.Status.WAITLISTED),
            position=services.event_waitlist_position(rsvp) if rsvp else None,
            seats_left=max(event.capacity - event.going, 0),
            is_open=event.is_open,
            signed_in=user.is_authenticated,
            can_manage=has_perm(user, "meetings.events_manage", event.organisation),
            login_url=reverse("account_login") + "?next=" + event.get_absolute_url(),
            **kwargs,
        )


class EventRsvpView(ActionView):
    permission = "signed_in"

    def act(self, form):
        self.event = event_or_404(self.kwargs["pk"])
        status = self.request.POST.get("status")
        if status not in (Rsvp.Status.GOING, Rsvp.Status.NOT_GOING):
            raise DomainError(_("Please choose whether you're coming."))
        going = status == Rsvp.Status.GOING
        rsvp = services.event_rsvp_set(event=self.event, user=self.request.user, going=going)
        if rsvp.status == Rsvp.Status.GOING:
            return _("You're going. See you there!")
        if rsvp.status == Rsvp.Status.WAITLISTED:
            return _("The event is full, so you are on the waitlist (number %(n)d).") % {
                "n": services.event_waitlist_position(rsvp)
            }
        return _("Thanks for letting us know you can't come.")

    def get_success_url(self) -> str:
        return self.event.get_absolute_url()


class EventCancelView(ActionView):
    permission = "meetings.events_manage"

    def get_permission_object(self):
        self.event = event_or_404(self.kwargs["pk"])
        return self.event.organisation

    def act(self, form):
        services.event_cancel(event=self.event, by=self.request.user)
        return _("The event is cancelled; the calendar feed says so.")

    def get_success_url(self) -> str:
        return self.event.get_absolute_url()


class EventIcsView(PermissionMixin, View):
    permission = "public"

    def get(self, request, *args, **kwargs):
        event = event_or_404(kwargs["pk"])
        body = calendar_services.events_ics(
            events=[event], name=event.organisation.name, method="PUBLISH"
        )
        return ics_response(body, "event.ics")
