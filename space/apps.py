from django.apps import AppConfig


class SpaceConfig(AppConfig):
    """The between-meetings group space: threads, replies, moderation that knows about
    crisis. Nothing below imports it; it tells the apps below what they need through
    their hooks."""

    name = "space"
    verbose_name = "Group space"

    def ready(self) -> None:
        # Permission rules register themselves on import, tasks with Celery.
        from space import rules, tasks  # noqa: F401
        from space.notifications import kinds_register
        from space.privacy import hooks_register

        kinds_register()
        hooks_register()

        from peersupport.home import home_part_register
        from space.home import home_spaces_part

        home_part_register(
            "space.groups",
            order=35,
            template="space/fragments/home_spaces.html",
            read=home_spaces_part,
        )
