"""Signal wiring for issue 7: a saved meeting keeps calendar invites and seats current."""

from django.db.models.signals import post_save, pre_save

from sessions.models import Meeting
from sessions.services.calendar import meeting_saved, meeting_saving

pre_save.connect(meeting_saving, sender=Meeting, dispatch_uid="meetings.calendar_before")
post_save.connect(meeting_saved, sender=Meeting, dispatch_uid="meetings.calendar_sequence")
