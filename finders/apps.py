from django.apps import AppConfig


class FindersConfig(AppConfig):
    """Meeting finders: our privacy-graded Meeting Guide feed, other organisations' feeds
    read into the directory as nearby groups, and the finder partners embed."""

    name = "finders"
    label = "finders"
    verbose_name = "Meeting finders"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from finders import notices, selectors, tasks  # noqa: F401
        from groups.hooks import DirectorySection, directory_section_register
        from members.notifications import RUNNERS, Kind, register_kind

        # What the apps below learn from finders: the directory's "nearby groups" section,
        # and the email organizers get when a feed they read keeps failing.
        directory_section_register(
            "finders.nearby",
            DirectorySection(template="finders/fragments/nearby.html", read=selectors.nearby_for),
        )
        register_kind(
            Kind(
                "finder_feed_failing",
                _("A meeting finder feed my organisation reads keeps failing"),
                audience=RUNNERS,
                notice=_("The meeting feed of %(title)s could not be read for three days."),
            )
        )
        notices.hooks_register()
