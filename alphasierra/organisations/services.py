from django.db import IntegrityError, transaction

from alphasierra.accounts.models import User
from alphasierra.audit.services import audit_record
from alphasierra.mail.services import message_queue
from alphasierra.organisations.generations import public_pages_changed
from alphasierra.organisations.models import Organisation, Role


class RoleAlreadyHeldError(Exception):
    pass


class RoleHolderGoneError(Exception):
    """The account was erased or deactivated after the form was shown."""


@transaction.atomic
def role_grant(*, user: User, organisation: Organisation, kind: Role.Kind, actor: User) -> Role:
    """Give a role; the person is told by e-mail and the change is audited."""
    # Locked: an erasure running at the same moment waits, or has already won.
    if not User.objects.select_for_update().filter(pk=user.pk, is_active=True).exists():
        raise RoleHolderGoneError
    role = Role(user=user, organisation=organisation, kind=kind)
    role.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError:
        raise RoleAlreadyHeldError from None
    audit_record(
        action="role.granted",
        actor=actor,
        organisation=organisation,
        subject=user,
        data={"role": kind, "organisation": organisation.slug},
    )
    # The CLAS's home and the directory list its correspondents.
    public_pages_changed(organisation, directory=True)
    message_queue(
        to=user.email,
        template="role_granted",
        context={"role": role, "organisation": organisation},
        organisation=organisation,
    )
    return role


@transaction.atomic
def role_revoke(*, role_id: int, actor: User) -> Role:
    role = Role.objects.select_for_update().select_related("user", "organisation").get(pk=role_id)
    role.delete()
    audit_record(
        action="role.revoked",
        actor=actor,
        organisation=role.organisation,
        subject=role.user,
        data={"role": role.kind, "organisation": role.organisation.slug},
    )
    public_pages_changed(role.organisation, directory=True)
    message_queue(
        to=role.user.email,
        template="role_revoked",
        context={"role": role},
        organisation=role.organisation,
    )
    return role
