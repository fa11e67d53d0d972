from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, RSVPs and attendance.

    The label is `meetings` because `django.contrib.sessions` owns `sessions`.
    """

    name = "sessions"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from sessions import rules  # noqa: F401 - registers the meetings rules
