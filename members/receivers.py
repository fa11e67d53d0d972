from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from members.tasks import send_welcome
from peersupport.tasks import enqueue_on_commit


@receiver(email_confirmed)
def welcome_after_verification(sender, request, email_address, **kwargs):
    enqueue_on_commit(send_welcome, email_address.user_id)
