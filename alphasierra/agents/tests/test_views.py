import re
import socket

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SIGNUP = "/sud-ouest/inscription/"


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "email": "elodie@example.fr",
        "password1": "une phrase de passe assez longue",
        "password2": "une phrase de passe assez longue",
        "civility": "mme",
        "last_name": "N'Diaye",
        "first_name": "Élodie",
        "birth_date": "1985-05-17",
        "employer": "dgac",
        "status": "active",
        "service": "SNA Sud-Ouest",
        "service_address": "Aéroport de Toulouse-Blagnac",
        "work_phone": "05 61 00 00 00",
        "personal_phone": "06 12 34 56 78",
        "address": "3 place du Capitole",
        "postal_code": "31000",
        "city": "Toulouse",
        "family_situation": "",
        "children_count": "",
        "spouse_last_name": "",
        "spouse_first_name": "",
        "spouse_birth_date": "",
        "enfants-TOTAL_FORMS": "0",
        "enfants-INITIAL_FORMS": "0",
        "envoyer": "1",
    }
    data.update(overrides)
    return data


def field_errors(html: str, field: str) -> list[str]:
    """The error messages shown next to one field."""
    block = re.search(rf'id="id_{field}-desc-error"[^>]*>(.*?)</div>', html, re.S)
    return re.findall(r'fr-message--error">(.*?)</p>', block.group(1)) if block else []


# Sign-up form


def test_the_form_asks_every_field_of_the_communique_with_labels(client):
    body = client.get(SIGNUP).content.decode()

    for name, label in [
        ("civility", "Civilité"),
        ("last_name", "Nom"),
        ("first_name", "Prénom"),
        ("email", "Adresse e-mail"),
        ("employer", "Employeur"),
        ("status", "Situation"),
        ("service", "Service"),
        ("service_address", "Adresse du service"),
        ("work_phone", "Téléphone professionnel"),
        ("personal_phone", "Téléphone personnel"),
        ("address", "Adresse postale"),
        ("birth_date", "Date de naissance"),
        ("family_situation", "Situation familiale"),
        ("children_count", "Nombre d&#x27;enfants"),
        ("spouse_last_name", "Nom du conjoint"),
    ]:
        assert re.search(rf'<label class="fr-label" for="id_{name}">\s*{label}', body), name
    assert "DGAC" in body
    assert "Météo-France" in body
    assert "Ajouter un enfant" in body


@pytest.mark.parametrize("path", ["/aramis/inscription/", "/unasacem/inscription/", "/inscription/"])
def test_no_sign_up_on_an_association_or_the_national_site(client, path):
    response = client.get(path)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="password1"' not in body
    assert 'href="/nouvelle-caledonie/inscription/"' in body


def test_a_complete_sign_up_creates_the_request_and_says_where_the_email_went(client, outbox):
    data = signup_data(
        spouse_last_name="N'Diaye",
        spouse_first_name="Moussa",
        children_count="2",
        **{
            "enfants-TOTAL_FORMS": "2",
            "enfants-0-last_name": "N'Diaye",
            "enfants-0-first_name": "Awa",
            "enfants-0-birth_date": "2014-02-01",
            "enfants-1-last_name": "N'Diaye",
            "enfants-1-first_name": "Ibrahima",
        },
    )

    response = client.post(SIGNUP, data, follow=True)

    assert response.redirect_chain == [("/sud-ouest/inscription/envoyee/", 302)]
    body = response.content.decode()
    assert "elodie@example.fr" in body
    assert "courriers indésirables" in body
    agent = Agent.objects.get(user__email="elodie@example.fr")
    assert agent.clas.slug == "sud-ouest"
    assert agent.work_phone == "+33561000000"
    assert agent.last_name == "N'Diaye"
    assert agent.relatives.count() == 3
    assert len(outbox("elodie@example.fr")) == 1


def test_a_used_address_gets_the_same_page_and_creates_nothing(client, cast):
    new = client.post(SIGNUP, signup_data(email="nouvelle@example.fr"), follow=True)
    client.cookies.clear()
    used = client.post(SIGNUP, signup_data(email="Alice@example.fr"), follow=True)

    assert used.redirect_chain == new.redirect_chain
    assert used.status_code == new.status_code == 200

    def page(response, email: str) -> str:
        # Everything but the address typed and the per-response tokens.
        body = response.content.decode().replace(email, "EMAIL")
        return re.sub(r'(name="(?:csrfmiddlewaretoken|envoi_unique)" value|nonce)="[^"]+"', "", body)

    body_new, body_used = page(new, "nouvelle@example.fr"), page(used, "Alice@example.fr")
    assert body_new == body_used
    assert Agent.objects.filter(user__email__iexact="alice@example.fr").count() == 1


def test_errors_are_shown_next_to_their_field_and_everything_else_is_kept(client):
    data = signup_data(work_phone="12", postal_code="96000", last_name="R2-D2", birth_date="2999-01-01")

    response = client.post(SIGNUP, data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ce numéro de téléphone n&#x27;est pas valide" in " ".join(field_errors(body, "work_phone"))
    assert "code postal" in " ".join(field_errors(body, "postal_code"))
    assert field_errors(body, "last_name")
    assert "dans le passé" in " ".join(field_errors(body, "birth_date"))
    assert field_errors(body, "city") == []
    assert 'value="Aéroport de Toulouse-Blagnac"' in body or "Aéroport de Toulouse-Blagnac</textarea>" in body
    assert 'value="elodie@example.fr"' in body
    assert 'value="06 12 34 56 78"' in body
    assert not User.objects.filter(email="elodie@example.fr").exists()


def test_the_passwords_must_match_and_be_long_enough(client):
    short = client.post(SIGNUP, signup_data(password1="court", password2="court")).content.decode()
    different = client.post(SIGNUP, signup_data(password2="une autre phrase de passe")).content.decode()

    assert field_errors(short, "password1")
    assert "identiques" in " ".join(field_errors(different, "password2"))


def test_a_short_password_that_does_not_match_is_told_both_at_once(client):
    body = client.post(SIGNUP, signup_data(password1="court", password2="autre")).content.decode()

    assert "trop court" in " ".join(field_errors(body, "password1"))
    assert "identiques" in " ".join(field_errors(body, "password2"))


def error_summary(html: str) -> list[tuple[str, str]]:
    """The links of the error summary at the top: (href, text)."""
    block = re.search(
        r'<div class="fr-alert fr-alert--error[^"]*" role="alert" tabindex="-1" id="erreurs" autofocus>(.*?)</div>',
        html,
        re.S,
    )
    assert block is not None
    return re.findall(r'<a href="([^"]+)">(.*?)</a>', block.group(1), re.S)


def test_the_error_summary_links_to_each_field_in_error(client):
    data = signup_data(
        password1="court",
        password2="autre",
        postal_code="96000",
        city="",
        **{"enfants-TOTAL_FORMS": "1", "enfants-0-last_name": "N'Diaye"},
    )

    body = client.post(SIGNUP, data).content.decode()

    links = error_summary(body)
    assert [href for href, _ in links] == [
        "#id_password1",
        "#id_password2",
        "#id_postal_code",
        "#id_city",
        "#id_enfants-0-first_name",
    ]
    for href, _ in links:
        assert f'id="{href[1:]}"' in body
    texts = dict(links)
    assert texts["#id_password1"].startswith("Mot de passe : ")
    assert texts["#id_enfants-0-first_name"].startswith("Enfant 1 — Prénom : ")
    # The summary does not replace the message next to each field.
    assert field_errors(body, "city")


def test_no_error_summary_on_the_empty_form(client):
    assert 'id="erreurs"' not in client.get(SIGNUP).content.decode()


@pytest.mark.parametrize(
    ("slug", "phone", "stored"),
    [
        ("nouvelle-caledonie", "24 12 34", "+687241234"),
        ("polynesie-francaise", "87 12 34 56", "+68987123456"),
        ("sud-ouest", "+590 590 12 34 56", "+590590123456"),
        ("sud-ouest", "0596 30 12 34", "+596596301234"),
        ("ocean-indien", "0262 12 34 56", "+262262123456"),
    ],
)
def test_overseas_phone_numbers_are_understood(client, slug, phone, stored):
    response = client.post(f"/{slug}/inscription/", signup_data(personal_phone=phone, postal_code="98800"))

    assert response.status_code == 302, field_errors(response.content.decode(), "personal_phone")
    assert Agent.objects.get(user__email="elodie@example.fr").personal_phone == stored


@pytest.mark.parametrize(
    "postal_code", ["97110", "97200", "97300", "97400", "97500", "97600", "98600", "98714", "98800"]
)
def test_overseas_postal_codes_are_accepted(client, postal_code):
    assert client.post(SIGNUP, signup_data(postal_code=postal_code)).status_code == 302


def test_a_child_row_is_added_without_javascript_keeping_what_was_typed(client):
    data = signup_data(last_name="", **{"ajouter_enfant": "1"})
    del data["envoyer"]

    body = client.post(SIGNUP, data).content.decode()

    assert 'name="enfants-TOTAL_FORMS" value="1"' in body
    assert 'name="enfants-0-first_name"' in body
    assert "fr-message--error" not in body  # adding a row is not a submission
    assert 'value="elodie@example.fr"' in body
    assert not User.objects.filter(email="elodie@example.fr").exists()


def test_adding_a_child_row_brings_the_person_back_to_it(client):
    data = signup_data(**{"enfants-TOTAL_FORMS": "1", "enfants-0-first_name": "Awa", "ajouter_enfant": "1"})
    del data["envoyer"]

    body = client.post(SIGNUP, data).content.decode()

    # The first field of the new row takes the focus, the browser scrolls to it.
    assert re.search(r'<input[^>]*name="enfants-1-last_name"[^>]*autofocus', body)
    assert len(re.findall(r"\bautofocus\b", body)) == 1


def test_the_passwords_are_never_written_back_and_the_person_is_told_to_type_them_again(client):
    data = signup_data(**{"ajouter_enfant": "1"})
    del data["envoyer"]

    added = client.post(SIGNUP, data).content.decode()
    wrong = client.post(SIGNUP, signup_data(city="")).content.decode()

    for body in (added, wrong):
        assert "une phrase de passe assez longue" not in body
        for name in ("password1", "password2"):
            notice = re.search(rf'id="id_{name}-desc-notice"[^>]*>(.*?)</div>', body, re.S)
            assert notice is not None, name
            assert "saisissez-le à nouveau" in notice.group(1)
            assert re.search(rf'<input[^>]*name="{name}"[^>]*aria-describedby="id_{name}-desc-notice"', body)
    # Nothing to type again when nothing was typed.
    empty = client.post(SIGNUP, signup_data(password1="", password2="")).content.decode()
    assert "desc-notice" not in empty


def test_a_child_row_ticked_for_removal_is_ignored(client):
    data = signup_data(
        **{
            "enfants-TOTAL_FORMS": "1",
            "enfants-0-last_name": "N'Diaye",
            "enfants-0-first_name": "Awa",
            "enfants-0-DELETE": "on",
        }
    )

    assert client.post(SIGNUP, data).status_code == 302
    assert Agent.objects.get(user__email="elodie@example.fr").relatives.count() == 0


def test_the_number_of_children_cannot_be_below_the_children_listed(client):
    data = signup_data(
        children_count="1",
        **{
            "enfants-TOTAL_FORMS": "2",
            "enfants-0-last_name": "A",
            "enfants-0-first_name": "Un",
            "enfants-1-last_name": "B",
            "enfants-1-first_name": "Deux",
        },
    )

    body = client.post(SIGNUP, data).content.decode()

    assert "inférieur" in " ".join(field_errors(body, "children_count"))


def test_a_logged_in_person_is_not_offered_a_second_account(client, cast):
    client.force_login(cast.alice)

    body = client.get(SIGNUP).content.decode()

    assert 'name="password1"' not in body
    assert "Un seul compte" in body


# E-mail confirmation


def confirmation_link(outbox, email: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000(/comptes/confirm-email/[^/\s]+/)", outbox(email)[-1].body_text)
    assert found is not None
    return found.group(1)


def test_opening_the_link_does_not_confirm_until_the_button_is_pressed(client, cast, outbox):
    client.post(SIGNUP, signup_data())
    link = confirmation_link(outbox, "elodie@example.fr")

    page = client.get(link)

    assert page.status_code == 200
    assert '<form method="post"' in page.content.decode()
    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.EMAIL_PENDING

    response = client.post(link)

    assert response.status_code == 302
    assert response.headers["Location"] == "/comptes/confirmation/confirmee/"
    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.AWAITING_APPROVAL
    assert EmailAddress.objects.get(email="elodie@example.fr").verified


@pytest.mark.parametrize("mangle", ["altered", "expired"])
def test_a_bad_link_offers_to_resend(client, cast, outbox, settings, mangle):
    client.post(SIGNUP, signup_data())
    link = confirmation_link(outbox, "elodie@example.fr")
    if mangle == "altered":
        link = link[:-3] + "xx/"
    else:
        settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = -1

    response = client.get(link)

    body = response.content.decode()
    assert response.status_code == 200
    assert "n'est plus valable" in body
    assert 'action="/comptes/confirmation/renvoyer/"' in body
    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.EMAIL_PENDING


def test_resending_is_rate_limited_and_reveals_nothing(client, cast, outbox):
    client.post(SIGNUP, signup_data())

    first = client.post("/sud-ouest/inscription/renvoyer/", {"email": "elodie@example.fr"}, follow=True)
    second = client.post("/sud-ouest/inscription/renvoyer/", {"email": "elodie@example.fr"}, follow=True)
    unknown = client.post("/sud-ouest/inscription/renvoyer/", {"email": "personne@example.fr"}, follow=True)

    assert len(outbox("elodie@example.fr")) == 2  # the sign-up's and one resend
    assert "nouvel e-mail vient d" in first.content.decode()
    assert "patientez" in second.content.decode()
    assert "nouvel e-mail vient d" in unknown.content.decode()
    assert outbox("personne@example.fr") == []


# Before approval


def test_before_approval_the_agent_sees_only_their_state_and_data(client, cast):
    client.force_login(cast.paul)

    body = client.get("/comptes/mon-compte/").content.decode()

    assert "en attente de validation" in body
    assert "Durand" in body
    assert "Martin" not in body  # nobody else's data
    assert client.get("/sud-ouest/gestion/inscriptions/").status_code == 403


# Managers' queue


QUEUE = "/sud-ouest/gestion/inscriptions/"


def test_the_queue_needs_a_login(client, cast):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/comptes/login/?next=/sud-ouest/gestion/inscriptions/")


def test_the_queue_is_refused_to_an_agent_without_role(client, cast):
    client.force_login(cast.alice)

    assert client.get(QUEUE).status_code == 403


@pytest.mark.parametrize("persona", ["chloe", "david", "nadia"])
def test_the_queue_does_not_exist_for_staff_of_another_organisation(client, cast, persona):
    client.force_login(getattr(cast, persona))

    assert client.get(QUEUE).status_code == 404


def test_the_queue_of_an_association_does_not_exist(client, cast):
    client.force_login(cast.david)

    assert client.get("/aramis/gestion/inscriptions/").status_code == 404


def test_the_manager_sees_each_request_with_its_data_and_possible_duplicates(client, cast):
    Agent.objects.filter(user=cast.paul).update(personal_phone=cast.karim.agent.personal_phone)
    client.force_login(cast.bruno)

    queue = client.get(QUEUE).content.decode()
    detail = client.get(f"{QUEUE}{cast.paul.agent.pk}/").content.decode()

    assert "Durand Paul" in queue
    assert "Martin" not in queue  # Alice is approved already
    assert "Météo-France" in detail
    assert "06 33 44 55 66" in detail  # shown in national form
    assert "Doublon possible" in detail
    assert "CLAS Nord" in detail
    assert AuditEvent.objects.filter(action="agent.viewed", actor=cast.bruno, subject=cast.paul).count() == 1


def test_an_agent_of_another_clas_is_a_404(client, cast):
    client.force_login(cast.bruno)
    karim = cast.karim.agent.pk

    assert client.get(f"{QUEUE}{karim}/").status_code == 404
    assert client.post(f"{QUEUE}{karim}/valider/").status_code == 404


def test_approving_a_request(client, cast, outbox):
    client.force_login(cast.bruno)

    response = client.post(f"{QUEUE}{cast.paul.agent.pk}/valider/", follow=True)

    assert "est validée" in response.content.decode()
    assert Agent.objects.get(user=cast.paul).state == Agent.State.APPROVED
    assert "validée" in outbox("paul@example.fr")[-1].subject


def test_the_second_decision_is_told_it_came_too_late(client, cast, outbox):
    client.force_login(cast.bruno)
    client.post(f"{QUEUE}{cast.paul.agent.pk}/valider/")
    sent = len(outbox("paul@example.fr"))

    response = client.post(f"{QUEUE}{cast.paul.agent.pk}/refuser/", {"reason": "Non"}, follow=True)

    assert "déjà été traitée" in response.content.decode()
    assert Agent.objects.get(user=cast.paul).state == Agent.State.APPROVED
    assert len(outbox("paul@example.fr")) == sent


def test_rejecting_needs_a_reason_next_to_the_field(client, cast):
    client.force_login(cast.bruno)

    response = client.post(f"{QUEUE}{cast.paul.agent.pk}/refuser/", {"reason": "  "})

    assert response.status_code == 400
    assert field_errors(response.content.decode(), "reason")
    assert Agent.objects.get(user=cast.paul).state == Agent.State.AWAITING_APPROVAL


def test_a_rejected_agent_can_no_longer_log_in(client, cast):
    client.force_login(cast.bruno)
    client.post(f"{QUEUE}{cast.paul.agent.pk}/refuser/", {"reason": "Inconnu du CLAS"})
    client.logout()

    client.post("/comptes/login/", {"login": "paul@example.fr", "password": "alpha-sierra-demo"})

    assert "_auth_user_id" not in client.session


def test_decisions_need_a_post(client, cast):
    client.force_login(cast.bruno)

    assert client.get(f"{QUEUE}{cast.paul.agent.pk}/valider/").status_code == 405


def test_the_queue_query_count_does_not_grow_with_requests(client, cast, django_assert_max_num_queries):
    client.force_login(cast.bruno)
    client.get(QUEUE)  # warm the session
    with CaptureQueriesContext(connection) as one_request:
        client.get(QUEUE)
    baseline = len(one_request)
    for n in range(5):
        Client().post(
            SIGNUP,
            signup_data(email=f"agent{n}@example.fr", personal_phone=f"06 12 34 56 7{n}"),
        )
    Agent.objects.filter(state=Agent.State.EMAIL_PENDING).update(state=Agent.State.AWAITING_APPROVAL)

    with django_assert_max_num_queries(baseline):
        body = client.get(QUEUE).content.decode()
    assert body.count("gestion/inscriptions/") >= 6


def confirmation_code(outbox, email: str) -> str:
    found = re.search(r"confirmation : ([A-Z2-9]{4}-[A-Z2-9]{4})", outbox(email)[-1].body_text)
    assert found is not None
    return found.group(1)


def test_the_short_code_confirms_the_address_too(client, cast, outbox):
    client.post(SIGNUP, signup_data())
    code = confirmation_code(outbox, "elodie@example.fr")

    form = client.get("/comptes/confirmation/code/").content.decode()
    response = client.post("/comptes/confirmation/code/", {"email": "Elodie@example.fr", "code": code.lower()})

    assert 'value="elodie@example.fr"' in form  # the address just used is offered
    assert response.status_code == 302
    assert response.headers["Location"] == "/comptes/confirmation/confirmee/"
    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.AWAITING_APPROVAL
    assert EmailAddress.objects.get(email="elodie@example.fr").verified


def test_a_wrong_code_or_unknown_address_gets_one_answer(client, cast, outbox):
    client.post(SIGNUP, signup_data())

    wrong = client.post("/comptes/confirmation/code/", {"email": "elodie@example.fr", "code": "AAAA-AAAA"})
    unknown = client.post("/comptes/confirmation/code/", {"email": "personne@example.fr", "code": "AAAA-AAAA"})

    assert field_errors(wrong.content.decode(), "code") == field_errors(unknown.content.decode(), "code")
    assert field_errors(wrong.content.decode(), "code")
    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.EMAIL_PENDING


def test_a_resent_email_replaces_the_code(client, cast, outbox):
    client.post(SIGNUP, signup_data())
    old = confirmation_code(outbox, "elodie@example.fr")
    client.post("/sud-ouest/inscription/renvoyer/", {"email": "elodie@example.fr"})
    new = confirmation_code(outbox, "elodie@example.fr")

    assert old != new
    client.post("/comptes/confirmation/code/", {"email": "elodie@example.fr", "code": old})
    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.EMAIL_PENDING

    client.post("/comptes/confirmation/code/", {"email": "elodie@example.fr", "code": new})
    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.AWAITING_APPROVAL


def test_a_link_already_used_offers_to_log_in(client, cast, outbox):
    client.post(SIGNUP, signup_data())
    link = confirmation_link(outbox, "elodie@example.fr")
    client.post(link)

    body = client.get(link).content.decode()

    assert "n'est plus valable" in body
    assert 'href="/comptes/login/"' in body


def test_sign_up_succeeds_while_the_mail_server_is_down(
    client, cast, settings, outbox, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "use_tls": False, "timeout": 2},
        }
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(), follow=True)

    assert response.redirect_chain == [("/sud-ouest/inscription/envoyee/", 302)]
    assert Agent.objects.filter(user__email="elodie@example.fr").exists()
    [message] = outbox("elodie@example.fr")
    assert message.status == "pending"
    assert "ConnectionRefusedError" in message.last_error
