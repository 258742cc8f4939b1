from typing import Any

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from alphasierra.activities.models import Activity, Registration
from alphasierra.activities.services._common import activity_lock
from alphasierra.activities.services.waiting import waitlist_offer

LIVE = (Registration.State.CONFIRMED, Registration.State.OFFERED, Registration.State.WAITING)


# An erased account takes its requests with it by cascade (agents does not
# know this app: the layers point down). The places they held must not be
# lost: the next requests on the waiting list are offered them, in the
# erasure's own transaction.
@receiver(pre_delete, sender=Registration)
def before_registration_deleted(sender: Any, instance: Registration, **kwargs: Any) -> None:
    if instance.state in LIVE:
        # Locked before any row goes: the services always lock the activity
        # first, so the erasure waits for them instead of deadlocking with them.
        try:
            activity_lock(instance.activity_id)
        except Activity.DoesNotExist:
            return


@receiver(post_delete, sender=Registration)
def after_registration_deleted(sender: Any, instance: Registration, **kwargs: Any) -> None:
    if instance.state not in LIVE:
        return
    activity = Activity.objects.filter(pk=instance.activity_id).select_related("organisation").first()
    if activity is not None:
        waitlist_offer(activity=activity)
