from django.apps import AppConfig


class PeersupportConfig(AppConfig):
    """The project package is an app too: shared templatetags and management commands."""

    name = "peersupport"
    verbose_name = "peersupport"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from peersupport import cache, cache_scopes

        # The one place model saves and deletes renew cached entries (for web servers,
        # workers and commands alike).
        cache_scopes.connect()
        # What a request read ahead from the cache is its own: never seen by the next one.
        request_started.connect(cache.forget_read_ahead, dispatch_uid="cache-read-ahead-start")
        request_finished.connect(cache.forget_read_ahead, dispatch_uid="cache-read-ahead-end")
