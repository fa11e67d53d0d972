from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, RSVPs and attendance.

    The label is `meetings` because `django.contrib.sessions` owns `sessions`.
    """

    name = "sessions"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Permission rules register themselves on import, tasks with Celery (the worker's
        # autodiscovery would find only `tasks.py`, not `tasks_rsvp.py`).
        from groups.hooks import NextMeeting, next_meeting_register
        from sessions import (  # noqa: F401
            digest,
            reminders,
            rules,
            rules_debrief,
            selectors,
            tasks,
            tasks_rsvp,
        )
        from sessions.selectors import home as selectors_home

        # What the apps below learn from meetings: the notification layer, what it checks
        # and adds for emails about meetings and the digest; group pages, the next meeting.
        reminders.hooks_register()
        digest.hooks_register()
        next_meeting_register(
            NextMeeting(
                annotate=selectors.groups_with_next_meeting_at,
                start=selectors.group_next_meeting_start,
            )
        )

        from peersupport.home import home_part_register

        home_part_register(
            "meetings.next",
            order=30,
            template="meetings/fragments/home_meetings.html",
            read=selectors_home.home_meetings_part,
        )
        home_part_register(
            "meetings.facilitator",
            order=50,
            template="meetings/fragments/home_facilitator.html",
            read=selectors_home.home_facilitator_part,
        )
