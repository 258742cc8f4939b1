"""A transfer asked for a date to come: accepted before it, effective on it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from alphasierra.agents.models import Agent
from alphasierra.audit.models import AuditEvent
from alphasierra.once.services import FIELD
from alphasierra.organisations.models import Organisation
from alphasierra.testing import meanwhile, run_daily_jobs, service_start_after_reading
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import (
    TransferError,
    TransferStateError,
    transfer_accept,
    transfer_cancel,
    transfer_request,
    transfers_apply_due,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_as_in_production(settings):
    # The daily jobs include pruning the database task queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


PARIS = ZoneInfo("Europe/Paris")
IN_A_MONTH = timezone.localdate() + timedelta(days=30)


def ask(cast, slug: str = "nord", effective_date: date = IN_A_MONTH) -> Transfer:
    return transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=Organisation.objects.get(slug=slug),
        reason="move",
        effective_date=effective_date,
        message="Mutation à Lille.",
        actor=cast.alice,
    )


def scheduled(cast) -> Transfer:
    transfer = ask(cast)
    return transfer_accept(transfer_id=transfer.pk, destination=transfer.destination, actor=cast.chloe)


def morning_of(day: date, zone: ZoneInfo = PARIS) -> datetime:
    return datetime(day.year, day.month, day.day, 3, 0, tzinfo=zone)


def clas_of(user) -> str:
    return Agent.objects.select_related("clas").get(user=user).clas.slug


# Services


def test_accepted_before_its_date_a_transfer_waits_for_it(cast, outbox):
    transfer = scheduled(cast)

    assert transfer.state == Transfer.State.SCHEDULED
    assert transfer.decided_by == cast.chloe
    assert clas_of(cast.alice) == "sud-ouest"
    message = outbox("alice@example.fr")[-1]
    day = f"{IN_A_MONTH.day} "
    assert "Votre transfert est accepté, effectif le" in message.subject
    assert "Le CLAS Nord a accepté votre demande de transfert" in message.body_text
    assert day in message.body_text
    assert "/comptes/mon-compte/" in message.body_text
    assert set(
        AuditEvent.objects.filter(action="transfer.scheduled", subject=cast.alice).values_list(
            "organisation__slug", flat=True
        )
    ) == {"nord", "sud-ouest"}
    assert transfer.state_label().startswith("accepté, effectif le ")


def test_a_transfer_for_today_or_a_past_date_takes_effect_on_acceptance(cast):
    transfer = ask(cast, effective_date=timezone.localdate() - timedelta(days=3))

    transfer = transfer_accept(transfer_id=transfer.pk, destination=transfer.destination, actor=cast.chloe)

    assert transfer.state == Transfer.State.ACCEPTED
    assert clas_of(cast.alice) == "nord"


def test_the_daily_job_moves_the_agent_on_the_date_and_not_before(cast, outbox):
    transfer = scheduled(cast)

    run_daily_jobs(now=morning_of(IN_A_MONTH - timedelta(days=1)))
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.SCHEDULED
    assert clas_of(cast.alice) == "sud-ouest"

    run_daily_jobs(now=morning_of(IN_A_MONTH))

    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.ACCEPTED
    assert transfer.decided_by == cast.chloe  # who accepted, not the job
    assert clas_of(cast.alice) == "nord"
    assert "Votre transfert est accepté" in outbox("alice@example.fr")[-1].subject
    assert "Alice Martin a rejoint un autre CLAS" in outbox("bruno@alpha-sierra.org")[-1].subject
    accepted = AuditEvent.objects.filter(action="transfer.accepted", subject=cast.alice)
    assert set(accepted.values_list("organisation__slug", flat=True)) == {"nord", "sud-ouest"}
    # The next day the job finds nothing left to do.
    assert transfers_apply_due(now=morning_of(IN_A_MONTH + timedelta(days=1))) == 0


def test_the_date_is_the_destinations_day(cast):
    nouvelle_caledonie = Organisation.objects.get(slug="nouvelle-caledonie")
    transfer = transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=nouvelle_caledonie,
        reason="move",
        effective_date=IN_A_MONTH,
        message="",
        actor=cast.alice,
    )
    transfer_accept(transfer_id=transfer.pk, destination=nouvelle_caledonie, actor=cast.nadia)
    # 14:00 in Paris the day before is already the date in Nouméa (UTC+11).
    eve_in_paris = datetime(IN_A_MONTH.year, IN_A_MONTH.month, IN_A_MONTH.day, 14, 0, tzinfo=PARIS) - timedelta(days=1)

    assert transfers_apply_due(now=eve_in_paris) == 1
    assert clas_of(cast.alice) == "nouvelle-caledonie"


def test_the_agent_may_cancel_an_accepted_transfer_until_its_date(cast, outbox):
    transfer = scheduled(cast)

    transfer_cancel(transfer_id=transfer.pk, user=cast.alice)

    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.CANCELLED
    assert transfer.decided_by == cast.chloe  # who had accepted it stays on record
    run_daily_jobs(now=morning_of(IN_A_MONTH))
    assert clas_of(cast.alice) == "sud-ouest"
    message = outbox("chloe@alpha-sierra.org")[-1]
    assert "Transfert annulé par l'agent : Alice Martin" in message.subject
    assert "que vous aviez accepté pour le" in message.body_text
    cancelled = AuditEvent.objects.filter(action="transfer.cancelled", subject=cast.alice)
    assert set(cancelled.values_list("organisation__slug", flat=True)) == {"nord", "sud-ouest"}


def test_cancelling_a_pending_request_tells_the_destination(cast, outbox):
    transfer = ask(cast)

    transfer_cancel(transfer_id=transfer.pk, user=cast.alice)

    message = outbox("chloe@alpha-sierra.org")[-1]
    assert "Transfert annulé par l'agent : Alice Martin" in message.subject
    assert "vous n'avez plus à la traiter" in message.body_text


def test_a_transfer_that_took_effect_can_no_longer_be_cancelled(cast):
    transfer = scheduled(cast)
    run_daily_jobs(now=morning_of(IN_A_MONTH))

    with pytest.raises(TransferStateError):
        transfer_cancel(transfer_id=transfer.pk, user=cast.alice)


def test_an_accepted_transfer_to_come_blocks_another_request(cast):
    scheduled(cast)

    with pytest.raises(TransferError, match="déjà en cours"):
        ask(cast, slug="ouest")


def test_the_database_keeps_one_open_transfer_per_agent(cast):
    transfer = scheduled(cast)

    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            agent=transfer.agent,
            origin=transfer.origin,
            destination=Organisation.objects.get(slug="ouest"),
            reason="move",
            effective_date=IN_A_MONTH,
        )


def test_the_database_refuses_a_scheduled_transfer_nobody_decided(cast):
    transfer = ask(cast)

    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.filter(pk=transfer.pk).update(state=Transfer.State.SCHEDULED)


def test_an_agent_asking_to_be_erased_is_not_moved_on_the_date(cast):
    transfer = scheduled(cast)
    Agent.objects.filter(user=cast.alice).update(deletion_requested_at=timezone.now())

    assert transfers_apply_due(now=morning_of(IN_A_MONTH)) == 0
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.SCHEDULED
    assert clas_of(cast.alice) == "sud-ouest"


# Pages


def test_mon_compte_shows_the_pending_request_with_a_way_to_cancel_it(client, cast):
    transfer = ask(cast)
    client.force_login(cast.alice)

    body = client.get("/comptes/mon-compte/").content.decode()

    block = body.split('id="transfert"')[1]
    assert "CLAS Nord" in block
    assert f"{IN_A_MONTH.day} " in block
    assert "en attente de validation" in block
    assert f'action="/sud-ouest/transfert/{transfer.pk}/annuler/"' in block
    assert f'name="{FIELD}"' in block.split("</form>")[0]


def test_mon_compte_shows_an_accepted_transfer_to_come(client, cast):
    scheduled(cast)
    client.force_login(cast.alice)

    body = client.get("/comptes/mon-compte/").content.decode()

    assert "accepté, effectif le" in body.split('id="transfert"')[1]
    assert "Annuler mon transfert" in body


def test_mon_compte_shows_no_transfer_once_refused_or_cancelled(client, cast):
    transfer_cancel(transfer_id=ask(cast).pk, user=cast.alice)
    client.force_login(cast.alice)

    body = client.get("/comptes/mon-compte/").content.decode()

    assert 'id="transfert"' not in body


def test_cancelling_from_mon_compte_comes_back_to_it(client, cast):
    transfer = scheduled(cast)
    client.force_login(cast.alice)

    response = client.post(f"/sud-ouest/transfert/{transfer.pk}/annuler/", {"depuis": "mon-compte"}, follow=True)

    assert response.redirect_chain[-1][0] == "/comptes/mon-compte/"
    assert "Votre demande de transfert est annulée." in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.CANCELLED


def test_the_csr_accepting_early_is_told_the_date_and_sees_it_in_the_history(client, cast):
    transfer = ask(cast)
    client.force_login(cast.chloe)

    response = client.post(f"/nord/gestion/transferts/{transfer.pk}/accepter/", follow=True)

    body = response.content.decode()
    assert "sera rattachée à votre CLAS le" in body
    history = body.split("Transferts traités")[-1]
    assert "accepté, effectif le" in history
    assert "Martin Alice" in history


def test_the_request_page_shows_the_accepted_transfer_to_come(client, cast):
    scheduled(cast)
    client.force_login(cast.alice)

    body = client.get("/sud-ouest/transfert/").content.decode()

    assert "accepté, effectif le" in body


def test_the_origins_site_manager_sees_the_transfer_to_come_on_the_agents_page(client, cast):
    scheduled(cast)
    client.force_login(cast.bruno)

    body = client.get(f"/sud-ouest/gestion/agents/{cast.alice.agent.pk}/").content.decode()

    assert "Transfert vers le CLAS Nord : accepté, effectif le" in body.split('id="transfert"')[1]


def test_the_origins_site_manager_sees_a_pending_request_with_its_date(client, cast):
    ask(cast)
    client.force_login(cast.bruno)

    body = client.get(f"/sud-ouest/gestion/agents/{cast.alice.agent.pk}/").content.decode()

    notice = body.split('id="transfert"')[1]
    assert "Transfert vers le CLAS Nord demandé pour le" in notice
    assert "en attente de validation" in notice


def test_a_transfer_cancelled_while_the_daily_job_runs_does_not_move_the_agent(cast):
    transfer = scheduled(cast)

    with meanwhile(
        lambda: transfer_cancel(transfer_id=transfer.pk, user=cast.alice),
        before=service_start_after_reading("transfers_transfer"),
    ):
        moved = transfers_apply_due(now=morning_of(IN_A_MONTH))

    assert moved == 0
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.CANCELLED
    assert clas_of(cast.alice) == "sud-ouest"
