from datetime import timedelta

import pytest
from django.utils import timezone

from alphasierra.audit.models import AuditEvent
from alphasierra.audit.services import audit_purge, audit_record

pytestmark = pytest.mark.django_db


def test_alice_sees_who_consulted_her_data(client, cast):
    client.force_login(cast.bruno)
    client.get(f"/sud-ouest/gestion/agents/{cast.alice.agent.pk}/")
    client.force_login(cast.alice)

    body = client.get("/comptes/mon-compte/").content.decode()
    section = body[body.index('id="consultations"') :]

    assert "Bruno Lambert" in section
    assert "a consulté vos données" in section
    assert "CLAS Sud-Ouest" in section


def test_her_own_visits_are_not_listed(client, cast):
    client.force_login(cast.alice)
    client.get("/comptes/mon-compte/")

    body = client.get("/comptes/mon-compte/").content.decode()

    assert "a consulté vos données" not in body


def test_the_journal_filters_by_organisation_actor_agent_action_and_date(client, cast):
    client.force_login(cast.bruno)
    client.get(f"/sud-ouest/gestion/agents/{cast.alice.agent.pk}/")
    client.force_login(cast.nadia)
    today = timezone.localdate().isoformat()

    found = client.get(
        "/gestion/journal/",
        {"actor": "bruno@", "subject": "alice@", "action": "agent.viewed", "since": today, "until": today},
    ).content.decode()
    none = client.get("/gestion/journal/", {"actor": "chloe@", "action": "agent.viewed"}).content.decode()

    assert "alice@example.fr" in found
    assert "Aucun événement" in none


def test_events_are_deleted_after_the_retention(cast, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    old = audit_record(action="agent.viewed", actor=cast.bruno, organisation=None, subject=cast.alice)
    AuditEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=366))
    recent = audit_record(action="agent.viewed", actor=cast.bruno, organisation=None, subject=cast.alice)

    assert audit_purge() == 1
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
