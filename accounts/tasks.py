from celery import shared_task

from accounts import notifications


@shared_task(acks_late=True)
def send_welcome_email(organization_id: int, membership_id: int) -> None:
    notifications.send_welcome_email(organization_id=organization_id, membership_id=membership_id)
