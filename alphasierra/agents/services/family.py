"""The spouse and children of an agent, and the rules of a whole family."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.services._common import audit_value
from alphasierra.agents.validation import validate_children_count
from alphasierra.audit.services import audit_record
from alphasierra.organisations.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FamilyRuleError(ValidationError):
    """The family an action would leave breaks a rule; nothing was changed.

    ``code`` names the rule. What breaks it is named too, for the page to show
    the message there: ``field``, a field of the agent (the number of children
    declared, when it is what changed), or ``row``, the index of the row of the
    family editor (in the rows given to the service).
    """

    def __init__(
        self,
        message: "StrOrPromise",
        *,
        code: str,
        params: dict[str, object] | None = None,
        field: str | None = None,
        row: int | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.field = field
        self.row = row


def family_count_check(*, children_count: int | None, children: int) -> None:
    """The number of children an agent declares, against the children listed
    one by one (fewer may be listed: not every child has to be described)."""
    try:
        validate_children_count(children_count, children)
    except ValidationError as error:
        raise FamilyRuleError(
            error.message, code=error.code or "", params=error.params, field="children_count"
        ) from None


@dataclass(frozen=True)
class FamilyRow:
    """One line of the family editor: an existing relative (``relative_id``) or a new one."""

    kind: str
    last_name: str
    first_name: str
    birth_date: date | None = None
    relative_id: int | None = None
    delete: bool = False


def _relative_audit(relative: Relative) -> dict[str, object]:
    return {
        "kind": relative.kind,
        "last_name": relative.last_name,
        "first_name": relative.first_name,
        "birth_date": audit_value(relative.birth_date),
    }


@transaction.atomic
def agent_family_update(*, agent_id: int, clas: Organisation, actor: User, rows: list[FamilyRow]) -> Agent:
    """Add, change and remove the spouse and children of an agent, recording
    each change (before and after) in the audit trail.

    The rules hold on the whole family that results, relatives the rows leave
    out included: ``FamilyRuleError`` when it breaks one (nothing is changed).
    A relative id that is not this agent's raises ``Relative.DoesNotExist``
    (answered 404): a form cannot reach another family.
    """
    agent = Agent.objects.select_for_update().select_related("user").get(pk=agent_id, clas=clas)
    existing = {relative.pk: relative for relative in agent.relatives.all()}
    for row in rows:
        if row.relative_id is not None and row.relative_id not in existing:
            raise Relative.DoesNotExist(row.relative_id)
    _family_rows_check(rows=rows, existing=existing, children_count=agent.children_count)
    added = [row for row in rows if row.relative_id is None and not row.delete]

    changes: list[dict[str, object]] = []
    # Removals first, then whoever stops being the spouse: the database allows
    # one spouse at a time, whatever the order of the rows.
    kept = [row for row in rows if row.relative_id is not None]
    kept.sort(key=lambda row: (not row.delete, row.kind == Relative.Kind.SPOUSE))
    for row in kept:
        relative = existing[row.relative_id]  # type: ignore[index]
        before = _relative_audit(relative)
        if row.delete:
            relative.delete()
            changes.append({"removed": before})
            continue
        relative.kind, relative.last_name = row.kind, row.last_name
        relative.first_name, relative.birth_date = row.first_name, row.birth_date
        after_audit = _relative_audit(relative)
        if after_audit != before:
            relative.full_clean(exclude=["agent"], validate_constraints=False)
            relative.save(update_fields=["kind", "last_name", "first_name", "birth_date"])
            changes.append({"before": before, "after": after_audit})
    for row in added:
        relative = Relative(
            agent=agent,
            kind=row.kind,
            last_name=row.last_name,
            first_name=row.first_name,
            birth_date=row.birth_date,
        )
        relative.full_clean(validate_constraints=False)
        relative.save()
        changes.append({"added": _relative_audit(relative)})
    if changes:
        audit_record(
            action="agent.family_updated", actor=actor, organisation=clas, subject=agent.user, data={"changes": changes}
        )
    return agent


def _family_rows_check(*, rows: list[FamilyRow], existing: dict[int, Relative], children_count: int | None) -> None:
    """The rules of the family the rows would leave, relatives they leave out
    included. The row blamed is the last one that brings a spouse or a child
    in (a new row, or a relative whose link changed), else the last one named."""
    # Each member of the family after the update: its kind, and the row that
    # sets it (None for a relative the rows leave as it is).
    members: dict[object, tuple[str, int | None]] = {pk: (relative.kind, None) for pk, relative in existing.items()}
    for index, row in enumerate(rows):
        key = row.relative_id if row.relative_id is not None else f"new-{index}"
        if row.delete:
            members.pop(key, None)
        else:
            members[key] = (row.kind, index)
    incoming = {
        index for index, row in enumerate(rows) if row.relative_id is None or existing[row.relative_id].kind != row.kind
    }

    def blamed(kind: str) -> int | None:
        named = [index for member, index in members.values() if member == kind and index is not None]
        brought = [index for index in named if index in incoming]
        return max(brought or named, default=None)

    spouses = sum(1 for kind, _index in members.values() if kind == Relative.Kind.SPOUSE)
    if spouses > 1:
        raise FamilyRuleError(
            _("Un seul conjoint peut être indiqué."), code="two_spouses", row=blamed(Relative.Kind.SPOUSE)
        )
    children = sum(1 for kind, _index in members.values() if kind == Relative.Kind.CHILD)
    if children_count is not None and children > children_count:
        raise FamilyRuleError(
            _(
                "La famille compterait %(listed)d enfants alors que %(count)d sont déclarés : "
                "corrigez d'abord le nombre d'enfants, ou retirez un enfant."
            ),
            code="too_many_children",
            params={"listed": children, "count": children_count},
            row=blamed(Relative.Kind.CHILD),
        )
