from peersupport.routes import routes
from sessions.views import (
    agenda,
    attendance,
    calendar,
    dashboard,
    debrief,
    disengagement,
    events,
    live,
    meetings,
    reminders,
    roles,
    rsvp,
)

app_name = "meetings"

AGENDA = "<int:pk>/agenda/"
TEMPLATES = "group/<slug:slug>/agenda-templates/"
RECORD = "attendance/record/"
TEMPLATE = TEMPLATES + "<int:template_pk>/"
DRIFT = "group/<slug:slug>/disengagement/"

urlpatterns = routes(
    [
        ("mine/", dashboard.FacilitatorDashboardView, "facilitator_dashboard"),
        ("group/<slug:slug>/", meetings.GroupMeetingListView, "group_list"),
        ("group/<slug:slug>/new/", meetings.MeetingScheduleView, "schedule"),
        ("group/<slug:slug>/reminders/", reminders.GroupRemindersView, "group_reminders"),
        ("<int:pk>/", meetings.MeetingDetailView, "detail"),
        ("<int:pk>/edit/", meetings.MeetingEditView, "edit"),
        ("<int:pk>/cancel/", meetings.MeetingCancelView, "cancel"),
        ("<int:pk>/complete/", meetings.MeetingCompleteView, "complete"),
        ("<int:pk>/notes/", meetings.MeetingNotesView, "notes"),
        ("series/<int:pk>/", meetings.SeriesDetailView, "series"),
        ("series/<int:pk>/cancel/", meetings.SeriesCancelView, "series_cancel"),
        # --- Agendas, agenda templates, roles and the live view ---------------
        (AGENDA, agenda.AgendaView, "agenda"),
        (AGENDA + "add/", agenda.AgendaItemAddView, "agenda_item_add"),
        (AGENDA + "<int:item_pk>/edit/", agenda.AgendaItemEditView, "agenda_item_edit"),
        (AGENDA + "<int:item_pk>/delete/", agenda.AgendaItemDeleteView, "agenda_item_delete"),
        (AGENDA + "<int:item_pk>/move/", agenda.AgendaItemMoveView, "agenda_item_move"),
        (AGENDA + "reorder/", agenda.AgendaReorderView, "agenda_reorder"),
        (AGENDA + "apply-template/", agenda.AgendaApplyTemplateView, "agenda_apply_template"),
        (AGENDA + "save-template/", agenda.AgendaSaveTemplateView, "agenda_save_template"),
        (TEMPLATES, agenda.AgendaTemplateListView, "agenda_templates"),
        (TEMPLATE, agenda.AgendaTemplateEditView, "agenda_template_edit"),
        (
            TEMPLATES + "<int:template_pk>/copy/",
            agenda.AgendaTemplateCopyView,
            "agenda_template_copy",
        ),
        (
            TEMPLATES + "<int:template_pk>/default/",
            agenda.AgendaTemplateDefaultView,
            "agenda_template_default",
        ),
        (
            TEMPLATES + "<int:template_pk>/delete/",
            agenda.AgendaTemplateDeleteView,
            "agenda_template_delete",
        ),
        ("group/<slug:slug>/roles/", roles.RoleWillingnessView, "role_willingness"),
        ("<int:pk>/roles/", roles.MeetingRolesView, "roles"),
        ("<int:pk>/roles/remove/", roles.MeetingRoleRemoveView, "role_remove"),
        ("<int:pk>/live/", live.LiveView, "live"),
        ("<int:pk>/live/step/", live.LiveStepView, "live_step"),
        ("<int:pk>/live/speakers/", live.LiveSpeakersView, "live_speakers"),
        ("<int:pk>/live/checkin/", live.LiveCheckinView, "live_checkin"),
        # --- RSVP, attendance, calendar feeds and community events ----------------
        ("<int:pk>/rsvp/", rsvp.RsvpView, "rsvp"),
        ("<int:pk>/rsvp/access/", rsvp.RsvpAccessNeedsView, "rsvp_access_needs"),
        ("rsvp/<str:token>/", rsvp.RsvpLinkView, "rsvp_link"),
        ("<int:pk>/rsvps/", rsvp.RsvpListView, "rsvp_list"),
        ("<int:pk>/rsvps/closing/", rsvp.RsvpClosingView, "rsvp_closing"),
        ("<int:pk>/rsvps/<int:rsvp_pk>/waitlist/", rsvp.RsvpToWaitlistView, "rsvp_to_waitlist"),
        ("<int:pk>/meeting.ics", calendar.MeetingIcsView, "meeting_ics"),
        ("calendar/", calendar.FeedSettingsView, "calendar_feed"),
        ("calendar/rotate/", calendar.FeedRotateView, "calendar_feed_rotate"),
        ("calendar/revoke/", calendar.FeedRevokeView, "calendar_feed_revoke"),
        ("feed/<str:token>/meetings.ics", calendar.FeedView, "feed"),
        ("<int:pk>/attendance/", attendance.AttendanceView, "attendance"),
        (RECORD, attendance.StatementCreateView, "statement_create"),
        (RECORD + "<str:token>/", attendance.StatementView, "statement"),
        (RECORD + "<str:token>/revoke/", attendance.StatementRevokeView, "statement_revoke"),
        ("org/<slug:slug>/calendar/", events.OrganisationCalendarView, "organisation_calendar"),
        ("org/<slug:slug>/calendar.ics", events.OrganisationFeedView, "organisation_feed"),
        ("org/<slug:slug>/events/new/", events.EventCreateView, "event_create"),
        ("events/<int:pk>/", events.EventDetailView, "event_detail"),
        ("events/<int:pk>/rsvp/", events.EventRsvpView, "event_rsvp"),
        ("events/<int:pk>/cancel/", events.EventCancelView, "event_cancel"),
        ("events/<int:pk>/event.ics", events.EventIcsView, "event_ics"),
        # --- debriefs and escalations ----------------------------------------------
        ("<int:pk>/debrief/", debrief.DebriefView, "debrief"),
        ("orgs/<slug:slug>/escalations/", debrief.EscalationsView, "escalations"),
        ("escalations/<int:pk>/close/", debrief.EscalationCloseView, "escalation_close"),
        # --- disengagement and gentle check-ins ------------------------------
        (DRIFT, disengagement.DisengagementView, "disengagement"),
        (
            "group/<slug:slug>/disengagement/checkin/",
            disengagement.GentleCheckinView,
            "gentle_checkin",
        ),
    ]
)
