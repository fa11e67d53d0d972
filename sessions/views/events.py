"""Community events: an organisation's public calendar, its feed, event pages and RSVP."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from groups.cache import CachedForVisitorsMixin
from groups.models import Organisation
from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin, has_perm
from sessions.forms_rsvp import EventForm
from sessions.models import Rsvp
from sessions.selectors import rsvp as selectors_rsvp
from sessions.services import calendar as calendar_services
from sessions.services import events as services
from sessions.views.calendar import ics_response


def _organisation_or_404(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def _event_or_404(pk: int):
    event = selectors_rsvp.event_for_page(pk)
    if event is None:
        raise Http404
    return event


class OrganisationCalendarView(PermissionMixin, TemplateView):
    """Public: the organisation's upcoming community events, and the feed to subscribe to."""

    permission = "public"
    template_name = "meetings/events/organisation_calendar.html"

    def get_context_data(self, **kwargs):
        organisation = _organisation_or_404(self.kwargs["slug"])
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
        return _organisation_or_404(self.kwargs["slug"])

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


class EventCreateView(PermissionMixin, FormView):
    permission = "meetings.events_manage"
    form_class = EventForm
    template_name = "meetings/events/event_create.html"

    def get_permission_object(self):
        self.organisation = _organisation_or_404(self.kwargs["slug"])
        return self.organisation

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            event = services.event_create(
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
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The event is published on your calendar."))
        return HttpResponseRedirect(event.get_absolute_url())


class EventDetailView(PermissionMixin, TemplateView):
    permission = "public"
    template_name = "meetings/events/event_detail.html"

    def get_context_data(self, **kwargs):
        event = _event_or_404(self.kwargs["pk"])
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


class EventRsvpView(PermissionMixin, View):
    permission = "signed_in"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        event = _event_or_404(kwargs["pk"])
        status = request.POST.get("status")
        if status not in (Rsvp.Status.GOING, Rsvp.Status.NOT_GOING):
            messages.error(request, _("Please choose whether you're coming."))
            return HttpResponseRedirect(event.get_absolute_url())
        going = status == Rsvp.Status.GOING
        try:
            rsvp = services.event_rsvp_set(event=event, user=request.user, going=going)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if rsvp.status == Rsvp.Status.GOING:
                messages.success(request, _("You're going. See you there!"))
            elif rsvp.status == Rsvp.Status.WAITLISTED:
                messages.success(
                    request,
                    _("The event is full, so you are on the waitlist (number %(n)d).")
                    % {"n": services.event_waitlist_position(rsvp)},
                )
            else:
                messages.success(request, _("Thanks for letting us know you can't come."))
        return HttpResponseRedirect(event.get_absolute_url())


class EventCancelView(PermissionMixin, View):
    permission = "meetings.events_manage"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.event = _event_or_404(self.kwargs["pk"])
        return self.event.organisation

    def post(self, request, *args, **kwargs):
        try:
            services.event_cancel(event=self.event, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The event is cancelled; the calendar feed says so."))
        return HttpResponseRedirect(self.event.get_absolute_url())


class EventIcsView(PermissionMixin, View):
    permission = "public"

    def get(self, request, *args, **kwargs):
        event = _event_or_404(kwargs["pk"])
        body = calendar_services.events_ics(
            events=[event], name=event.organisation.name, method="PUBLISH"
        )
        return ics_response(body, "event.ics")
