from django.apps import AppConfig


class PeersupportConfig(AppConfig):
    """The project package is an app too: shared templatetags and management commands."""

    name = "peersupport"
    verbose_name = "peersupport"

    def ready(self) -> None:
        from peersupport import cache_scopes

        # The one place model saves and deletes renew cached entries (for web servers,
        # workers and commands alike).
        cache_scopes.connect()
