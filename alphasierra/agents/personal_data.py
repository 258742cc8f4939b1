"""« Télécharger mes données »: everything the portal holds on an agent and
their family, as JSON and CSV in one zip file."""

import csv
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from alphasierra.accounts.models import User
from alphasierra.agents.exports import csv_cell
from alphasierra.agents.models import Agent, Relative
from alphasierra.audit.labels import ACTION_LABELS
from alphasierra.audit.models import AuditEvent
from alphasierra.audit.selectors import audit_history
from alphasierra.mail.models import OutboxMessage

# Internal values that say nothing about the person.
LEFT_OUT = {"confirmation_code_hash", "search_text"}


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def _fields(instance: models.Model) -> dict[str, Any]:
    return {
        field.name: _value(getattr(instance, field.name))
        for field in instance._meta.concrete_fields
        if field.name not in LEFT_OUT
    }


def _by_whom(event: AuditEvent, user: User) -> str:
    return _by_whom_user(event.actor, user)


def personal_data(agent: Agent) -> dict[str, Any]:
    user = agent.user
    addresses = EmailAddress.objects.filter(user=user).order_by("pk")
    return {
        "compte": {"email": user.email, "date_joined": _value(user.date_joined), "last_login": _value(user.last_login)},
        "agent": _fields(agent),
        "famille": [_fields(relative) for relative in Relative.objects.filter(agent=agent)],
        "transferts": [_fields(transfer) for transfer in agent.transfers.order_by("created_at")],
        "associations": [
            {
                "association": link.association.name,
                "state": link.state,
                "first_visit_at": _value(link.first_visit_at),
                "since": _value(link.since),
                "withdrawn_at": _value(link.withdrawn_at),
            }
            # Through the reverse relation: agents does not import the associations app.
            for link in agent.association_links.select_related("association").order_by("pk")
        ],
        # Staff are agents too: the responsibilities they hold on the portal.
        "roles": [
            {"role": role.kind, "organisation": role.organisation.name, "since": _value(role.created_at)}
            for role in user.roles.select_related("organisation").order_by("pk")
        ],
        "activites": _activity_requests(agent, user),
        # That a calendar address exists and since when; the address itself is a key, not a datum.
        "calendrier_personnel": _calendar_feed(user),
        "adresses_email": [
            {"email": address.email, "verified": address.verified, "primary": address.primary} for address in addresses
        ],
        # The kinds and dates of the second factors, never their secrets.
        "double_authentification": [
            {"type": a.type, "created_at": _value(a.created_at), "last_used_at": _value(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "sessions": [
            {
                "created_at": _value(session.created_at),
                "last_seen_at": _value(session.last_seen_at),
                "ip": session.ip,
                "user_agent": session.user_agent,
            }
            for session in UserSession.objects.filter(user=user).order_by("created_at")
        ],
        # Subjects only: the bodies hold one-time links and codes.
        "emails_envoyes": [
            {
                "date": _value(message.created_at),
                "to": message.to_email,
                "subject": message.subject,
                "status": message.status,
            }
            for message in OutboxMessage.objects.filter(
                to_email__in=[address.email for address in addresses] or [user.email]
            ).order_by("created_at", "pk")
        ],
        "historique": [
            {
                "date": _value(event.created_at),
                "action": event.action,
                "description": str(ACTION_LABELS.get(event.action, event.action)),
                "by": _by_whom(event, user),
                "organisation": _value(event.organisation),
            }
            for event in audit_history(user, limit=None).reverse()
        ],
    }


def _calendar_feed(user: User) -> dict[str, Any] | None:
    # Through the reverse relation: agents does not import the activities app.
    try:
        feed = user.calendar_feed
    except ObjectDoesNotExist:
        return None
    return {"created_at": _value(feed.created_at)}


def _activity_requests(agent: Agent, user: User) -> list[dict[str, Any]]:
    """The household's requests for activities, on every site: what was asked,
    for whom, in which state, and who did what."""
    # Through the reverse relation: agents does not import the activities app.
    requests = agent.activity_registrations.select_related(
        "activity__organisation", "requested_by__agent"
    ).prefetch_related("participants__ended_by__agent")
    return [
        {
            "activity": request.activity.title,
            "site": request.activity.organisation.name,
            "starts_at": _value(request.activity.starts_at),
            "ends_at": _value(request.activity.ends_at),
            "place": request.activity.place,
            "state": request.state,
            "requested_at": _value(request.created_at),
            "requested_by": _by_whom_user(request.requested_by, user),
            "accept_partial": request.accept_partial,
            "offer_expires_at": _value(request.offer_expires_at),
            "cancelled_at": _value(request.cancelled_at),
            "participants": [
                {
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "birth_date": _value(person.birth_date),
                    "kind": person.kind,
                    "price": str(person.price),
                    "state": person.state,
                    "ending": person.ending,
                    "ending_reason": person.ending_reason,
                    "ended_at": _value(person.ended_at),
                    "ended_by": _by_whom_user(person.ended_by, user) if person.ended_at else "",
                }
                for person in request.participants.all()
            ],
        }
        for request in requests.order_by("created_at", "pk")
    ]


def _by_whom_user(actor: User | None, user: User) -> str:
    if actor is None:
        return _("le portail")
    if actor.pk == user.pk:
        return _("vous")
    agent = getattr(actor, "agent", None)
    return f"{agent.first_name} {agent.last_name}" if agent else actor.email


def _history_table(user: User) -> list[dict[str, Any]]:
    """historique.csv: the table of « Historique de mon compte », its columns
    in its order and under its headers, its rows in its order."""
    return [
        {
            _("Date"): date_format(localtime(event.created_at), "SHORT_DATETIME_FORMAT"),
            _("Événement"): str(ACTION_LABELS.get(event.action, event.action)),
            _("Par"): _by_whom(event, user),
            _("Site"): event.organisation.name if event.organisation else "—",
        }
        for event in audit_history(user, limit=None)
    ]


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        # The agent's own words (a service, an address) may start like a formula.
        writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    return "\ufeff" + buffer.getvalue()


def personal_data_zip(agent: Agent) -> bytes:
    data = personal_data(agent)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mes-donnees.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("agent.csv", _csv([{**data["compte"], **data["agent"]}]))
        archive.writestr("famille.csv", _csv(data["famille"]))
        archive.writestr("transferts.csv", _csv(data["transferts"]))
        archive.writestr("associations.csv", _csv(data["associations"]))
        archive.writestr(
            "activites.csv",
            _csv(
                [
                    {
                        **{k: v for k, v in request.items() if k != "participants"},
                        **{f"participant_{k}": v for k, v in person.items()},
                    }
                    for request in data["activites"]
                    for person in request["participants"]
                ]
            ),
        )
        archive.writestr("historique.csv", _csv(_history_table(agent.user)))
    return output.getvalue()
