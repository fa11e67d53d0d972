from allauth.account.signals import email_confirmed
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from members.tasks import send_welcome
from peersupport import rowcache
from peersupport.tasks import enqueue_on_commit

# What other people's pages show of an account (rowcache.PERSON_COLUMNS).
SHOWN_TO_OTHERS = frozenset(rowcache.PERSON_COLUMNS)


@receiver(email_confirmed)
def welcome_after_verification(sender, request, email_address, **kwargs):
    enqueue_on_commit(send_welcome, email_address.user_id)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="rows-user")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="rows-user-del")
def renew_rows_of_account(sender, instance, update_fields=None, **kwargs):
    """An account changed: its own cached rows, and, when it could change what others see
    of it (a name on a meeting page), everyone's cached meetings. A sign-in only stamps
    `last_login`, which nobody else sees."""
    scopes = [f"person:{instance.pk}"]
    if update_fields is None or SHOWN_TO_OTHERS & set(update_fields):
        scopes.append("people")
    rowcache.renew(*scopes)
