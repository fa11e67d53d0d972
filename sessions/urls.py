from django.urls import path

from sessions.views import dashboard, meetings, reminders

app_name = "meetings"
urlpatterns: list = [
    path("mine/", dashboard.FacilitatorDashboardView.as_view(), name="facilitator_dashboard"),
    path("group/<slug:slug>/", meetings.GroupMeetingListView.as_view(), name="group_list"),
    path("group/<slug:slug>/new/", meetings.MeetingScheduleView.as_view(), name="schedule"),
    path(
        "group/<slug:slug>/reminders/",
        reminders.GroupRemindersView.as_view(),
        name="group_reminders",
    ),
    path("<int:pk>/", meetings.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", meetings.MeetingEditView.as_view(), name="edit"),
    path("<int:pk>/cancel/", meetings.MeetingCancelView.as_view(), name="cancel"),
    path("<int:pk>/complete/", meetings.MeetingCompleteView.as_view(), name="complete"),
    path("<int:pk>/notes/", meetings.MeetingNotesView.as_view(), name="notes"),
    path("series/<int:pk>/", meetings.SeriesDetailView.as_view(), name="series"),
    path("series/<int:pk>/cancel/", meetings.SeriesCancelView.as_view(), name="series_cancel"),
]

# --- Agendas, agenda templates, roles and the live view ---------------
from sessions.views import agenda, live, roles  # noqa: E402

urlpatterns += [
    path("<int:pk>/agenda/", agenda.AgendaView.as_view(), name="agenda"),
    path("<int:pk>/agenda/add/", agenda.AgendaItemAddView.as_view(), name="agenda_item_add"),
    path(
        "<int:pk>/agenda/<int:item_pk>/edit/",
        agenda.AgendaItemEditView.as_view(),
        name="agenda_item_edit",
    ),
    path(
        "<int:pk>/agenda/<int:item_pk>/delete/",
        agenda.AgendaItemDeleteView.as_view(),
        name="agenda_item_delete",
    ),
    path(
        "<int:pk>/agenda/<int:item_pk>/move/",
        agenda.AgendaItemMoveView.as_view(),
        name="agenda_item_move",
    ),
    path("<int:pk>/agenda/reorder/", agenda.AgendaReorderView.as_view(), name="agenda_reorder"),
    path(
        "<int:pk>/agenda/apply-template/",
        agenda.AgendaApplyTemplateView.as_view(),
        name="agenda_apply_template",
    ),
    path(
        "<int:pk>/agenda/save-template/",
        agenda.AgendaSaveTemplateView.as_view(),
        name="agenda_save_template",
    ),
    path(
        "group/<slug:slug>/agenda-templates/",
        agenda.AgendaTemplateListView.as_view(),
        name="agenda_templates",
    ),
    path(
        "group/<slug:slug>/agenda-templates/<int:template_pk>/",
        agenda.AgendaTemplateEditView.as_view(),
        name="agenda_template_edit",
    ),
    path(
        "group/<slug:slug>/agenda-templates/<int:template_pk>/copy/",
        agenda.AgendaTemplateCopyView.as_view(),
        name="agenda_template_copy",
    ),
    path(
        "group/<slug:slug>/agenda-templates/<int:template_pk>/default/",
        agenda.AgendaTemplateDefaultView.as_view(),
        name="agenda_template_default",
    ),
    path(
        "group/<slug:slug>/agenda-templates/<int:template_pk>/delete/",
        agenda.AgendaTemplateDeleteView.as_view(),
        name="agenda_template_delete",
    ),
    path("group/<slug:slug>/roles/", roles.RoleWillingnessView.as_view(), name="role_willingness"),
    path("<int:pk>/roles/", roles.MeetingRolesView.as_view(), name="roles"),
    path("<int:pk>/roles/remove/", roles.MeetingRoleRemoveView.as_view(), name="role_remove"),
    path("<int:pk>/live/", live.LiveView.as_view(), name="live"),
    path("<int:pk>/live/step/", live.LiveStepView.as_view(), name="live_step"),
    path("<int:pk>/live/speakers/", live.LiveSpeakersView.as_view(), name="live_speakers"),
    path("<int:pk>/live/checkin/", live.LiveCheckinView.as_view(), name="live_checkin"),
]

# --- RSVP, attendance, calendar feeds and community events --------------------
from sessions.views import attendance as attendance_views  # noqa: E402
from sessions.views import calendar as calendar_views  # noqa: E402
from sessions.views import events as event_views  # noqa: E402
from sessions.views import rsvp as rsvp_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/rsvp/", rsvp_views.RsvpView.as_view(), name="rsvp"),
    path("rsvp/<str:token>/", rsvp_views.RsvpLinkView.as_view(), name="rsvp_link"),
    path("<int:pk>/rsvps/", rsvp_views.RsvpListView.as_view(), name="rsvp_list"),
    path("<int:pk>/rsvps/closing/", rsvp_views.RsvpClosingView.as_view(), name="rsvp_closing"),
    path(
        "<int:pk>/rsvps/<int:rsvp_pk>/waitlist/",
        rsvp_views.RsvpToWaitlistView.as_view(),
        name="rsvp_to_waitlist",
    ),
    path("<int:pk>/meeting.ics", calendar_views.MeetingIcsView.as_view(), name="meeting_ics"),
    path("calendar/", calendar_views.FeedSettingsView.as_view(), name="calendar_feed"),
    path("calendar/rotate/", calendar_views.FeedRotateView.as_view(), name="calendar_feed_rotate"),
    path("calendar/revoke/", calendar_views.FeedRevokeView.as_view(), name="calendar_feed_revoke"),
    path("feed/<str:token>/meetings.ics", calendar_views.FeedView.as_view(), name="feed"),
    path("<int:pk>/attendance/", attendance_views.AttendanceView.as_view(), name="attendance"),
    path(
        "attendance/record/",
        attendance_views.StatementCreateView.as_view(),
        name="statement_create",
    ),
    path(
        "attendance/record/<str:token>/",
        attendance_views.StatementView.as_view(),
        name="statement",
    ),
    path(
        "attendance/record/<str:token>/revoke/",
        attendance_views.StatementRevokeView.as_view(),
        name="statement_revoke",
    ),
    path(
        "org/<slug:slug>/calendar/",
        event_views.OrganisationCalendarView.as_view(),
        name="organisation_calendar",
    ),
    path(
        "org/<slug:slug>/calendar.ics",
        event_views.OrganisationFeedView.as_view(),
        name="organisation_feed",
    ),
    path("org/<slug:slug>/events/new/", event_views.EventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/", event_views.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/rsvp/", event_views.EventRsvpView.as_view(), name="event_rsvp"),
    path("events/<int:pk>/cancel/", event_views.EventCancelView.as_view(), name="event_cancel"),
    path("events/<int:pk>/event.ics", event_views.EventIcsView.as_view(), name="event_ics"),
]

# --- debriefs and escalations ----------------------------------------------
from sessions.views import debrief as debrief_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/debrief/", debrief_views.DebriefView.as_view(), name="debrief"),
    path(
        "orgs/<slug:slug>/escalations/",
        debrief_views.EscalationsView.as_view(),
        name="escalations",
    ),
    path(
        "escalations/<int:pk>/close/",
        debrief_views.EscalationCloseView.as_view(),
        name="escalation_close",
    ),
]

# --- disengagement and gentle check-ins ------------------------------
from sessions.views import disengagement as disengagement_views  # noqa: E402

urlpatterns += [
    path(
        "group/<slug:slug>/disengagement/",
        disengagement_views.DisengagementView.as_view(),
        name="disengagement",
    ),
    path(
        "group/<slug:slug>/disengagement/checkin/",
        disengagement_views.GentleCheckinView.as_view(),
        name="gentle_checkin",
    ),
]
