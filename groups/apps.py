from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Organisations and groups"

    def ready(self):
        # Permission rules register themselves on import, tasks with Celery.
        from groups import (  # noqa: F401
            cache,
            data_rights,
            receivers,
            rows,
            rules,
            rules_safety,
            tasks,
        )

        receivers.connect()  # new organisations' agreement templates, deleted accounts
        data_rights.hooks_register()  # what deleting an account clears in groups
        cache.connect()  # public pages' cache follows the rows that feed them
        rows.connect()  # and so does the row cache of the permission layer

        from groups.models import AuditEntry
        from peersupport.audit import audit_store_register

        audit_store_register(AuditEntry.objects.create)  # the audit log's table is ours

        from groups.crisis import crisis_organisation
        from peersupport.views import crisis_organisation_register

        crisis_organisation_register(crisis_organisation)

        from groups import selectors_home
        from members.hooks import person_role_finder_register
        from peersupport.home import home_part_register

        person_role_finder_register(selectors_home.notification_roles)

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
