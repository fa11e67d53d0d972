from django.apps import AppConfig


class PeersupportConfig(AppConfig):
    """The project package is an app too: shared templatetags and management commands."""

    name = "peersupport"
    verbose_name = "peersupport"

    def ready(self) -> None:
        from peersupport import mfa

        mfa.connect()
