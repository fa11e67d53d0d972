from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Organisations and groups"

    def ready(self):
        from groups import rules  # noqa: F401 - rules register themselves
        from groups.selectors import home as selectors_home
        from members.notifications import PERSON_ROLE_FINDERS
        from peersupport.home import home_part_register

        if selectors_home.notification_roles not in PERSON_ROLE_FINDERS:
            PERSON_ROLE_FINDERS.append(selectors_home.notification_roles)

        home_part_register(
            "groups.people_waiting",
            order=40,
            template="groups/fragments/home_facilitator_waiting.html",
            read=selectors_home.home_facilitator_waiting_part,
        )
        home_part_register(
            "groups.organizer",
            order=60,
            template="groups/fragments/home_organizer.html",
            read=selectors_home.home_organizer_part,
        )
