"""Hypothesis drives the forms with hostile input: never a 500, a French
message next to the field when refused, nothing stored then, and what is
stored comes back escaped."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.tests.test_views import SIGNUP, signup_data

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "'; DROP TABLE agents_agent; --",
            "Robert'); DELETE FROM accounts_user; --",
            "\x00",
            "nom\x00caché",
            "\u202e\u0000\u0007",
            "𝕬𝖑𝖎𝖈𝖊",
            " ",
            "{{ settings.SECRET_KEY }}",
            "%(name)s",
            "../../etc/passwd",
        ]
    ),
)
SIGNUP_FIELDS = [
    "email",
    "civility",
    "last_name",
    "first_name",
    "birth_date",
    "employer",
    "status",
    "service",
    "service_address",
    "work_phone",
    "personal_phone",
    "address",
    "postal_code",
    "city",
    "family_situation",
    "children_count",
    "spouse_last_name",
    "enfants-TOTAL_FORMS",
]
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(field=st.sampled_from(SIGNUP_FIELDS), value=HOSTILE)
def test_the_sign_up_form_survives_anything(db, field, value):
    client = Client()
    users = User.objects.count()
    data = signup_data(email=f"fuzz{users}@example.fr")
    data[field] = value

    response = client.post(SIGNUP, data)

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        body = response.content.decode()
        assert "fr-message--error" in body or "Le formulaire contient des erreurs" in body
        assert User.objects.count() == users
        assert "<script>alert(1)</script>" not in body
    else:
        assert User.objects.count() == users + 1


@FUZZ
@given(query=HOSTILE)
def test_the_register_search_survives_anything(client, cast, query):
    client.force_login(cast.bruno)

    response = client.get("/sud-ouest/gestion/agents/", {"q": query, "etat": query, "tri": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@FUZZ
@given(value=HOSTILE)
def test_the_correction_form_survives_anything_and_escapes_what_it_stores(client, cast, value):
    client.force_login(cast.bruno)
    alice = Agent.objects.get(user=cast.alice)
    url = f"/sud-ouest/gestion/agents/{alice.pk}/modifier/"
    data = {
        "civility": "mme",
        "last_name": "Martin",
        "first_name": "Alice",
        "birth_date": "",
        "employer": "dgac",
        "status": "active",
        "service": value,
        "service_address": "Blagnac",
        "work_phone": "05 61 00 00 00",
        "personal_phone": "06 12 34 56 78",
        "address": "12 rue des Lilas",
        "postal_code": "31000",
        "city": "Toulouse",
        "family_situation": "",
        "children_count": "2",
    }

    response = client.post(url, data)

    assert response.status_code in (200, 302)
    detail = client.get(f"/sud-ouest/gestion/agents/{alice.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in detail
    assert "<img src=x onerror" not in detail


@FUZZ
@given(field=st.sampled_from(["destination", "reason", "effective_date", "message"]), value=HOSTILE)
def test_the_transfer_form_survives_anything(client, cast, field, value):
    client.force_login(cast.alice)
    data = {"destination": "", "reason": "move", "effective_date": "2027-01-01", "message": ""}
    data[field] = value

    response = client.post("/sud-ouest/transfert/", data)

    assert response.status_code in (200, 302)


@FUZZ
@given(email=HOSTILE, code=HOSTILE)
def test_the_code_and_resend_forms_survive_anything(db, email, code):
    client = Client()

    assert client.post("/comptes/confirmation/code/", {"email": email, "code": code}).status_code == 200
    assert client.post("/comptes/confirmation/renvoyer/", {"email": email}).status_code in (302, 400)


@FUZZ
@given(login=HOSTILE, password=HOSTILE)
def test_the_login_form_survives_anything(db, login, password):
    response = Client().post("/comptes/login/", {"login": login, "password": password})

    assert response.status_code in (200, 429)


@FUZZ
@given(field=st.sampled_from(["last_name", "city", "postal_code", "personal_phone", "birth_date"]), value=HOSTILE)
def test_my_account_form_survives_anything(client, cast, field, value):
    client.force_login(cast.alice)
    alice = Agent.objects.get(user=cast.alice)
    data = {
        "civility": "mme",
        "last_name": "Martin",
        "first_name": "Alice",
        "birth_date": "",
        "employer": "dgac",
        "status": "active",
        "service": "SNA",
        "service_address": "Blagnac",
        "work_phone": "05 61 00 00 00",
        "personal_phone": "06 12 34 56 78",
        "address": "12 rue des Lilas",
        "postal_code": "31000",
        "city": "Toulouse",
        "family_situation": "",
        "children_count": "2",
    }
    data[field] = value

    response = client.post("/comptes/mon-compte/modifier/", data)

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Agent.objects.get(pk=alice.pk).postal_code == "31000"


@FUZZ
@given(field=st.sampled_from(["kind", "last_name", "first_name", "birth_date", "relative_id"]), value=HOSTILE)
def test_the_family_form_survives_anything(client, cast, field, value):
    client.force_login(cast.alice)
    before = cast.alice.agent.relatives.count()
    data = {
        "famille-TOTAL_FORMS": "1",
        "famille-INITIAL_FORMS": "0",
        "famille-0-kind": "child",
        "famille-0-last_name": "Martin",
        "famille-0-first_name": "Théo",
    }
    data[f"famille-0-{field}"] = value

    response = client.post("/comptes/mon-compte/famille/", data)

    assert response.status_code in (200, 302, 404)
    if response.status_code != 302:
        assert cast.alice.agent.relatives.count() == before


@FUZZ
@given(field=st.sampled_from(["user", "organisation", "kind", "q"]), value=HOSTILE)
def test_the_role_form_survives_anything(client, cast, field, value):
    client.force_login(cast.nadia)
    data = {"user": str(cast.karim.pk), "organisation": "", "kind": "site_manager", "q": ""}
    data[field] = value

    response = client.post("/gestion/roles/attribuer/", data)

    assert response.status_code in (302, 400)
    assert client.get("/gestion/roles/", {"q": value}).status_code == 200
