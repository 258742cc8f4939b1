"""« Télécharger mes données »: everything the portal holds on an agent and
their family, as JSON and CSV in one zip file."""

import csv
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from django.db import models

from alphasierra.agents.models import Agent, Relative
from alphasierra.audit.models import AuditEvent
from alphasierra.transfers.models import Transfer

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


def personal_data(agent: Agent) -> dict[str, Any]:
    user = agent.user
    return {
        "compte": {"email": user.email, "date_joined": _value(user.date_joined), "last_login": _value(user.last_login)},
        "agent": _fields(agent),
        "famille": [_fields(relative) for relative in Relative.objects.filter(agent=agent).order_by("kind", "pk")],
        "transferts": [_fields(transfer) for transfer in Transfer.objects.filter(agent=agent).order_by("created_at")],
        "historique": [
            {"date": _value(event.created_at), "action": event.action, "organisation": _value(event.organisation)}
            for event in AuditEvent.objects.filter(subject=user).select_related("organisation").order_by("created_at")
        ],
    }


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def personal_data_zip(agent: Agent) -> bytes:
    data = personal_data(agent)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mes-donnees.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("agent.csv", _csv([{**data["compte"], **data["agent"]}]))
        archive.writestr("famille.csv", _csv(data["famille"]))
        archive.writestr("transferts.csv", _csv(data["transferts"]))
        archive.writestr("historique.csv", _csv(data["historique"]))
    return output.getvalue()
