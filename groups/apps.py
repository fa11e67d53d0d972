from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Organisations and groups"

    def ready(self):
        from groups import cache, rows, rules  # noqa: F401 - rules register themselves

        cache.connect()  # public pages' cache follows the rows that feed them
        rows.connect()  # and so does the row cache of the permission layer
