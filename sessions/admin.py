"""Django admin for meetings (staff only). Notes are deliberately left out: they belong to
the group's facilitators, and staff have no reason to read them."""

from django.contrib import admin

from peersupport.admin import tabular_inline
from sessions.models import AgendaItem, AgendaTemplate, AgendaTemplateItem, Meeting, MeetingSeries
from sessions.services import calendar
from sessions.services.meetings import meeting_changes_follow


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "status", "format", "series"]
    list_filter = ["status", "format"]
    search_fields = ["group__name", "topic"]
    date_hierarchy = "starts_at"
    list_select_related = ["group", "series"]
    raw_id_fields = ["group", "series", "facilitator"]
    inlines = [tabular_inline(AgendaItem)]

    def save_model(self, request, obj, form, change):
        """Staff edits keep calendars and seats current like the facilitator's edit form."""
        before = None
        if change:
            saved = Meeting.objects.get(pk=obj.pk)
            before = calendar.meeting_shown(saved)
        super().save_model(request, obj, form, change)
        if before is not None:
            meeting_changes_follow(obj, before=before)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["group", "frequency", "start_date", "until", "count", "materialised_until"]
    list_filter = ["frequency"]
    search_fields = ["group__name"]
    list_select_related = ["group"]
    raw_id_fields = ["group", "created_by", "facilitator"]


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "group", "is_group_default"]
    list_filter = ["kind"]
    raw_id_fields = ["group"]
    inlines = [tabular_inline(AgendaTemplateItem)]
