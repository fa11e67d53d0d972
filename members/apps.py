from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self):
        # The receivers connect on import; the tasks register with Celery (web processes
        # enqueue them too, not only the worker that autodiscovers them).
        from members import receivers, tasks  # noqa: F401
        from members.notifications.notices import unread_entry
        from peersupport import cache

        # The bell's number comes with the account, in the same round trip.
        if unread_entry not in cache.PERSON_ENTRIES:
            cache.PERSON_ENTRIES.append(unread_entry)
