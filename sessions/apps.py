from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, RSVPs and attendance.

    The label is `meetings` because `django.contrib.sessions` owns `sessions`.
    """

    name = "sessions"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from sessions import feed_cache, rows, rules  # noqa: F401 - registers the meetings rules

        rows.connect()  # the row cache of meeting pages follows meetings, agendas, roles
        # After importing the rules, which wire the calendar's own receivers (see connect()).
        feed_cache.connect()  # private feeds' cache follows the rows they are built from

        from peersupport.home import home_part_register
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
