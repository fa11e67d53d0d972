"""Meeting pages: schedule, view, edit or move, cancel, complete; a group's meeting list; notes."""

from __future__ import annotations

import zlib

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from groups.models import PeerGroup
from groups.views.base import GroupPermissionMixin
from peersupport import cache
from peersupport.actions import ActionView, ServiceFormMixin
from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin, has_perm
from sessions import selectors
from sessions.forms.meetings import (
    CancelForm,
    MeetingEditForm,
    NoteForm,
    ScheduleForm,
    SeriesCancelForm,
)
from sessions.loaders import meeting_for_reader_or_404
from sessions.models import MeetingSeries
from sessions.selectors import rsvp as selectors_rsvp
from sessions.services import meetings as services
from sessions.services import series as series_services
from sessions.views import MeetingPagePermissionMixin

# The parts of a meeting's page that are the same for everyone who may see it.
SHARED_PARTS = {
    "title": "meetings/fragments/meeting_page_title.html",
    "heading": "meetings/fragments/meeting_heading.html",
    "facts": "meetings/fragments/meeting_facts.html",
    "agenda": "meetings/fragments/agenda_and_roles.html",
    "where": "meetings/fragments/meeting_where.html",
    "place_note": "meetings/fragments/meeting_place_note.html",
    "closing": "meetings/fragments/meeting_page_closing.html",
    # Of the RSVP panel: what it says to everyone around the reader's own answer.
    "rsvp_heading": "meetings/rsvp/fragments/rsvp_heading.html",
    "rsvp_closes": "meetings/rsvp/fragments/rsvp_closes.html",
    "rsvp_access_label": "meetings/rsvp/fragments/rsvp_access_label.html",
    "rsvp_access_help": "meetings/rsvp/fragments/rsvp_access_help.html",
    "rsvp_calendar": "meetings/rsvp/fragments/rsvp_calendar_links.html",
}
# The addresses the page's forms and links go to, the same for everyone.
SHARED_URLS = {
    "rsvp_url": ("meetings:rsvp", "pk"),
    "rsvp_access_url": ("meetings:rsvp_access_needs", "pk"),
    "role_willingness_url": ("meetings:role_willingness", "group_slug"),
}


def shared_parts(meeting, *, show_group_time: bool) -> dict[str, str]:
    """Title, heading, facts, agenda and roles, what the RSVP panel says to everyone and
    the page's addresses, drawn once per version of the meeting's rows, language and zone
    (`peersupport.cache.drawn`): the same for every viewer, so only what depends on who
    is asking (place and link, their RSVP, tools) is drawn per request."""

    def draw() -> dict[str, str]:
        # The agenda is read only to draw (items newer than `meeting.rows_version` are
        # drawn again on the next request, under their own).
        context = {
            "meeting": meeting,
            "show_group_time": show_group_time,
            "agenda": selectors.meeting_agenda_summary(selectors.with_agenda(meeting)),
            "roles": list(meeting.roles.all()),
        }
        parts = {part: render_to_string(name, context) for part, name in SHARED_PARTS.items()}
        arguments = {"pk": meeting.pk, "group_slug": meeting.group.slug}
        for part, (name, argument) in SHARED_URLS.items():
            parts[part] = reverse(name, args=[arguments[argument]])
        return parts

    return cache.drawn(_shared_parts_key(meeting.pk), meeting.rows_version, draw)


# In the key: a release that draws other parts never reads entries drawn without them.
_PARTS = zlib.crc32(repr((SHARED_PARTS, SHARED_URLS)).encode())


def _shared_parts_key(pk: int) -> str:
    zone = timezone.get_current_timezone_name()
    return f"meeting-page:{pk}:{_PARTS:x}:{get_language()}:{zone}"


def drawn_seats(meeting, panel: selectors_rsvp.RsvpPanel) -> str:
    """The RSVP panel's seats, drawn once per version of the meeting's rows and RSVPs
    and language, in two forms: for everyone, and for those who manage the meeting (who
    also see by how much it is over capacity). Which one a reader gets is decided per
    request; nothing in either is about one reader."""

    def draw() -> dict[str, str]:
        name = "meetings/rsvp/fragments/rsvp_seats.html"
        return {
            managers: render_to_string(name, {"seats_list": panel.seats, "for_managers": managers})
            for managers in (False, True)
        }

    version = ""
    if meeting.rows_version and panel.seats_version:
        version = f"{meeting.rows_version}/{panel.seats_version}"
    return cache.drawn(_seats_key(meeting.pk), version, draw)[panel.can_manage]


def _seats_key(pk: int) -> str:
    return f"meeting-seats:{pk}:{get_language()}"


def read_meeting_page_ahead(pk: int, user) -> None:
    """What a meeting's page reads from the cache, in one round trip: the meeting's rows,
    the viewer's RSVP state and the page's shared parts and seats."""
    if not cache.enabled() or not user.is_authenticated:
        return
    rsvp_key, rsvp_scopes = selectors_rsvp.rsvp_state_entry(pk, user.pk)
    cache.read_ahead(
        [
            selectors.meeting_own_key(pk),
            rsvp_key,
            cache.drawn_key(_shared_parts_key(pk)),
            cache.drawn_key(_seats_key(pk)),
        ],
        [*selectors.meeting_page_scopes(pk), *rsvp_scopes],
    )


def _agreement_url(group: PeerGroup) -> str:
    """Where a member reads and signs the group's agreement."""
    return reverse("groups:agreement_sign", args=[group.slug])


class MeetingScheduleView(GroupPermissionMixin, FormView):
    permission = "meetings.schedule"
    form_class = ScheduleForm
    template_name = "meetings/meeting_schedule.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "group": self.group}

    def get_initial(self):
        return {
            "start_time": self.group.meeting_time,
            "capacity": None,
            "repeats": "once",
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)

    def form_valid(self, form):
        common = {
            "group": self.group,
            "by": self.request.user,
            "start_time": form.cleaned_data["start_time"],
            "duration_minutes": form.duration_minutes,
            "details": form.details(),
        }
        rule = form.recurrence()
        try:
            if rule is None:
                meeting = services.meeting_create(day=form.cleaned_data["date"], **common)
            else:
                series = services.series_create(
                    start_date=form.cleaned_data["date"], rule=rule, **common
                )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if rule is None:
            messages.success(self.request, _("The meeting is scheduled."))
            return HttpResponseRedirect(meeting.get_absolute_url())
        messages.success(self.request, _("The series is scheduled. Its dates are below."))
        return HttpResponseRedirect(reverse("meetings:series", args=[series.pk]))


class MeetingDetailView(PermissionMixin, DetailView):
    permission = "meetings.view"
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_permission_object(self):
        read_meeting_page_ahead(self.kwargs["pk"], self.request.user)
        self.object = meeting_for_reader_or_404(self.kwargs["pk"])
        return self.object

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        meeting, user = self.object, self.request.user
        access = selectors.meeting_location_access(user, meeting)
        viewer_zone = str(timezone.get_current_timezone())
        can_manage = has_perm(user, "meetings.manage", meeting)
        panel = selectors_rsvp.rsvp_panel(user, meeting)
        return super().get_context_data(
            access=access,
            agreement_url=_agreement_url(meeting.group) if access.reason == "agreement" else "",
            shared=shared_parts(meeting, show_group_time=viewer_zone != meeting.time_zone),
            viewer_zone=viewer_zone,
            can_manage=can_manage,
            can_edit=can_manage and meeting.is_open,
            can_complete=can_manage and meeting.is_scheduled and not meeting.is_open,
            can_read_notes=has_perm(user, "meetings.notes", meeting),
            can_run_live=has_perm(user, "meetings.live", meeting) and meeting.is_scheduled,
            can_volunteer=has_perm(user, "meetings.roles_volunteer", meeting.group),
            rsvp_panel=panel,
            seats=drawn_seats(meeting, panel),
            **kwargs,
        )


class _ManageMeetingMixin(MeetingPagePermissionMixin):
    """The permission layer for edit, cancel and complete (its first base is PermissionMixin)."""

    permission = "meetings.manage"

    def refuse_if_locked(self):
        """A past, completed or cancelled meeting can't be changed: say so on its page."""
        meeting = self.meeting
        if not meeting.is_open:
            messages.error(
                self.request,
                _("This meeting has already taken place or was cancelled, so it can't be changed."),
            )
            return HttpResponseRedirect(meeting.get_absolute_url())
        return None


class MeetingEditView(_ManageMeetingMixin, FormView):
    form_class = MeetingEditForm
    template_name = "meetings/meeting_edit.html"

    def get(self, request, *args, **kwargs):
        return self.refuse_if_locked() or super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "group": self.meeting.group, "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def form_valid(self, form):
        following = form.cleaned_data.get("scope") == "following"
        update = series_services.series_update_from if following else services.meeting_update
        try:
            meeting = update(
                meeting=self.meeting,
                by=self.request.user,
                day=form.cleaned_data["date"],
                start_time=form.cleaned_data["start_time"],
                duration_minutes=form.duration_minutes,
                details=form.details(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if following:
            messages.success(self.request, _("This and the following meetings are updated."))
        else:
            messages.success(self.request, _("The meeting is updated."))
        return HttpResponseRedirect(meeting.get_absolute_url())


class MeetingCancelView(_ManageMeetingMixin, ServiceFormMixin, FormView):
    form_class = CancelForm
    template_name = "meetings/meeting_cancel.html"

    def get(self, request, *args, **kwargs):
        return self.refuse_if_locked() or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def act(self, form):
        services.meeting_cancel(
            meeting=self.meeting, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return _("The meeting is cancelled. The group's members are told by email.")

    def get_success_url(self) -> str:
        return self.meeting.get_absolute_url()


class MeetingCompleteView(_ManageMeetingMixin, ActionView):
    """POST only: mark a meeting that has started as having taken place."""

    def act(self, form):
        services.meeting_complete(meeting=self.meeting, by=self.request.user)
        return _("The meeting is marked as having taken place.")

    def get_success_url(self) -> str:
        return self.meeting.get_absolute_url()


class GroupMeetingListView(GroupPermissionMixin, ListView):
    permission = "meetings.list"
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = selectors.MEETINGS_PAGE_SIZE

    @property
    def past(self) -> bool:
        return self.request.GET.get("when") == "past"

    def get_queryset(self):
        return selectors.group_meetings(self.group, past=self.past)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            group=self.group,
            past=self.past,
            can_schedule=has_perm(self.request.user, "meetings.schedule", self.group),
            **kwargs,
        )


class MeetingNotesView(MeetingPagePermissionMixin, ServiceFormMixin, FormView):
    permission = "meetings.notes"
    form_class = NoteForm
    template_name = "meetings/meeting_notes.html"

    def get_context_data(self, **kwargs):
        notes = self.meeting.notes.select_related("author")
        return super().get_context_data(
            meeting=self.meeting,
            notes=notes,
            retention_days=self.meeting.group.organisation.notes_retention_days,
            **kwargs,
        )

    def act(self, form):
        services.note_add(
            meeting=self.meeting, author=self.request.user, text=form.cleaned_data["text"]
        )
        return _("Your note is saved.")

    def get_success_url(self) -> str:
        return reverse("meetings:notes", args=[self.meeting.pk])


class _SeriesMixin(PermissionMixin):
    """A series' pages: who may schedule meetings for its group; anyone else gets 404."""

    permission = "meetings.schedule"

    def get_permission_object(self):
        self.series = (
            MeetingSeries.objects.select_related("group__organisation")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if self.series is None:
            raise Http404
        return self.series.group


class SeriesDetailView(_SeriesMixin, TemplateView):
    """The series' rule and every one of its dates, with the meetings made so far."""

    template_name = "meetings/series_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            series=self.series,
            group=self.series.group,
            dates=series_services.series_schedule(series=self.series),
            can_cancel=bool(series_services.series_cancellable_dates(series=self.series)),
            **kwargs,
        )


class SeriesCancelView(_SeriesMixin, ServiceFormMixin, FormView):
    """Cancel a series from a date on, in one step, with one email per member."""

    form_class = SeriesCancelForm
    template_name = "meetings/series_cancel.html"

    def get_form_kwargs(self):
        dates = series_services.series_cancellable_dates(series=self.series)
        return {**super().get_form_kwargs(), "dates": dates}

    def get_context_data(self, **kwargs):
        return super().get_context_data(series=self.series, group=self.series.group, **kwargs)

    def act(self, form):
        cancelled = series_services.series_cancel_from(
            series=self.series,
            by=self.request.user,
            from_date=form.cleaned_data["from_date"],
            reason=form.cleaned_data["reason"],
        )
        return ngettext(
            "%(n)d meeting is cancelled. The group's members get one email.",
            "%(n)d meetings are cancelled. The group's members get one email listing them.",
            len(cancelled),
        ) % {"n": len(cancelled)}

    def get_success_url(self) -> str:
        return reverse("meetings:series", args=[self.series.pk])
