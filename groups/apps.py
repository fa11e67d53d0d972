from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Organisations and groups"

    def ready(self):
        # Permission rules register themselves on import, tasks with Celery.
        from groups import data_rights, notices, receivers, rules, rules_safety, tasks  # noqa: F401
        from groups.crisis import crisis_organisation
        from groups.models import AuditEntry
        from groups.selectors import home as selectors_home
        from members.hooks import person_role_finder_register
        from peersupport.audit import audit_store_register
        from peersupport.views import crisis_organisation_register

        receivers.connect()  # new organisations' agreement templates, deleted accounts
        # What the apps below learn from groups: what deleting an account clears here,
        # where audit entries are stored, whose crisis helplines a page shows, who holds
        # which role (the emails a person is offered).
        data_rights.hooks_register()
        audit_store_register(AuditEntry.objects.create)
        crisis_organisation_register(crisis_organisation)
        person_role_finder_register(selectors_home.notification_roles)
        notices.hooks_register()  # what the notifications list says of the group's messages
        # Which organisation's default language a page or an email falls back to.
        from groups.language import email_language, page_language
        from peersupport import language

        if page_language not in language.ORGANISATION_LANGUAGE:
            language.ORGANISATION_LANGUAGE.append(page_language)
            language.ABOUT_LANGUAGE.append(email_language)
        # What the permission layer knows about a person comes with their account.
        from groups.selectors import person_entry
        from peersupport import cache

        if person_entry not in cache.PERSON_ENTRIES:
            cache.PERSON_ENTRIES.append(person_entry)

        from peersupport.home import home_part_register

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
