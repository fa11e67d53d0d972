from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, RSVPs and attendance.

    The label is `meetings` because `django.contrib.sessions` owns `sessions`.
    """

    name = "sessions"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from peersupport.home import home_part_register
        from sessions import rules  # noqa: F401 - registers the meetings rules
        from sessions.selectors import home as selectors_home

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
