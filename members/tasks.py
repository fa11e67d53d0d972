from celery import shared_task

from members.services import member_send_welcome


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_welcome(user_id: int) -> bool:
    return member_send_welcome(user_id=user_id)
