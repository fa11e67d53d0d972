from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Organisations and groups"

    def ready(self):
        from groups import rules  # noqa: F401 - registers the permission rules
