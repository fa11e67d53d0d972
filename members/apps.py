from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self):
        # The receivers connect on import; the tasks register with Celery (web processes
        # enqueue them too, not only the worker that autodiscovers them).
        from members import receivers, tasks  # noqa: F401
