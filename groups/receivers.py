"""Side effects of saves elsewhere that the groups app keeps: connected by `GroupsConfig.ready`."""

from django.conf import settings
from django.db.models.signals import post_save, pre_delete

from groups.models import Organisation, Signature
from groups.services.agreements import agreement_templates_ensure


def _give_new_organisation_default_templates(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        agreement_templates_ensure(organisation=instance)


def _anonymise_signatures(sender, instance, **kwargs):
    # Signatures stay (the group's record that version n was signed), without identity.
    Signature.objects.filter(member=instance).update(member=None, typed_name="")


def connect() -> None:
    post_save.connect(
        _give_new_organisation_default_templates,
        sender=Organisation,
        dispatch_uid="agreement_templates_for_new_org",
    )
    pre_delete.connect(
        _anonymise_signatures, sender=settings.AUTH_USER_MODEL, dispatch_uid="anonymise_signatures"
    )
