"""Hypothesis drives the forms with hostile input: never a 500, a French
message next to the field when refused, nothing stored then, and what is
stored comes back escaped."""

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image as PillowImage

from alphasierra.accounts.models import User
from alphasierra.activities.models import Registration
from alphasierra.activities.tests.agent_world import outing
from alphasierra.agents.models import Agent
from alphasierra.agents.tests.test_views import SIGNUP, signup_data
from alphasierra.audit.models import AuditEvent
from alphasierra.content.models import Image
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient as Client  # staff logged in with their second factor
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.selectors import transfer_open_for
from alphasierra.transfers.services import transfer_request

pytestmark = pytest.mark.django_db

# Markup that must come back as text wherever the portal shows it again;
# each form is also sent it once as an explicit example.
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
MARKUP = PAYLOADS[1]
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
# The fields typed as text: a refused value comes back in its box (the others
# are lists to choose from, or the count of the children's rows).
TYPED_SIGNUP_FIELDS = {"last_name", "first_name", "service", "service_address", "address", "city", "spouse_last_name"}
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(field=st.sampled_from(SIGNUP_FIELDS), value=HOSTILE)
@example(field="last_name", value=MARKUP)  # refused: back in its box
@example(field="city", value=MARKUP)  # kept: on the site manager's page
def test_the_sign_up_form_survives_anything(cast, field, value):
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
        assert_shown_escaped(body, value if field in TYPED_SIGNUP_FIELDS else "")
    else:
        assert User.objects.count() == users + 1
        # Once the address is confirmed, the site manager reads the request.
        agent = Agent.objects.get(user__email=data["email"])
        Agent.objects.filter(pk=agent.pk).update(state=Agent.State.AWAITING_APPROVAL)
        manager = Client()
        manager.force_login(cast.bruno)
        request_page = manager.get(f"/sud-ouest/gestion/inscriptions/{agent.pk}/")
        assert request_page.status_code == 200
        assert_shown_escaped(request_page.content.decode(), value if field in TYPED_SIGNUP_FIELDS else "")


@FUZZ
@given(query=HOSTILE)
@example(query=MARKUP)
def test_the_register_search_survives_anything(client, cast, query):
    client.force_login(cast.bruno)

    response = client.get("/sud-ouest/gestion/agents/", {"q": query, "etat": query, "tri": query})

    assert response.status_code == 200
    assert_shown_escaped(response.content.decode(), query)


@FUZZ
@given(value=HOSTILE)
@example(value=MARKUP)
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
    if response.status_code == 200:
        assert_shown_escaped(response.content.decode(), value)
        assert_shown_escaped(detail, "")
    else:
        assert_shown_escaped(detail, value)


@FUZZ
@given(field=st.sampled_from(["destination", "reason", "effective_date", "message"]), value=HOSTILE)
@example(field="message", value=MARKUP)
def test_the_transfer_form_survives_anything(client, cast, field, value):
    client.force_login(cast.alice)
    data = {"destination": "", "reason": "move", "effective_date": "2027-01-01", "message": ""}
    data[field] = value

    response = client.post("/sud-ouest/transfert/", data)

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert_shown_escaped(response.content.decode(), value if field == "message" else "")


@FUZZ
@given(email=HOSTILE, code=HOSTILE)
@example(email=MARKUP, code="")
def test_the_code_and_resend_forms_survive_anything(db, email, code):
    client = Client()

    response = client.post("/comptes/confirmation/code/", {"email": email, "code": code})

    assert response.status_code == 200
    assert_shown_escaped(response.content.decode(), email)
    assert client.post("/comptes/confirmation/renvoyer/", {"email": email}).status_code in (302, 400)


@FUZZ
@given(login=HOSTILE, password=HOSTILE)
@example(login=MARKUP, password="")
def test_the_login_form_survives_anything(db, login, password):
    response = Client().post("/comptes/login/", {"login": login, "password": password})

    assert response.status_code in (200, 429)
    if response.status_code == 200:
        assert_shown_escaped(response.content.decode(), login)


@FUZZ
@given(field=st.sampled_from(["last_name", "city", "postal_code", "personal_phone", "birth_date"]), value=HOSTILE)
@example(field="city", value=MARKUP)
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
        assert_shown_escaped(response.content.decode(), value)
    else:
        assert_shown_escaped(client.get("/comptes/mon-compte/").content.decode(), value)


@FUZZ
@given(field=st.sampled_from(["kind", "last_name", "first_name", "birth_date", "relative_id"]), value=HOSTILE)
@example(field="first_name", value=MARKUP)
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
    typed = value if field in ("last_name", "first_name", "birth_date") else ""
    if response.status_code != 302:
        assert cast.alice.agent.relatives.count() == before
        assert_shown_escaped(response.content.decode(), typed if response.status_code == 200 else "")
    else:
        assert_shown_escaped(client.get("/comptes/mon-compte/famille/").content.decode(), typed)


@FUZZ
@given(field=st.sampled_from(["user", "organisation", "kind", "q"]), value=HOSTILE)
@example(field="q", value=MARKUP)
def test_the_role_form_survives_anything(client, cast, field, value):
    client.force_login(cast.nadia)
    data = {"user": str(cast.karim.pk), "organisation": "", "kind": "site_manager", "q": ""}
    data[field] = value

    response = client.post("/gestion/roles/attribuer/", data)

    assert response.status_code in (302, 400)
    assert_shown_escaped(response.content.decode(), "")
    search = client.get("/gestion/roles/", {"q": value})
    assert search.status_code == 200
    assert_shown_escaped(search.content.decode(), value)


SHOWN = st.one_of(HOSTILE, st.sampled_from(PAYLOADS), st.builds("Motif : {}".format, st.sampled_from(PAYLOADS)))


def assert_shown_escaped(body: str, value: str) -> None:
    """No payload reaches the page or e-mail as markup; one that was kept is
    there as text (Django's ``escape``)."""
    for payload in PAYLOADS:
        assert payload not in body
        if payload in value:
            assert escape(payload) in body


@contextmanager
def rolled_back() -> Iterator[None]:
    """One Hypothesis example's writes, undone before the next example: each
    starts from the same registration or transfer, still pending."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@FUZZ
@given(reason=SHOWN)
def test_the_rejection_reason_survives_anything_and_the_agent_reads_it_escaped(client, cast, reason):
    client.force_login(cast.bruno)
    paul = Agent.objects.get(user=cast.paul)
    with rolled_back():
        response = client.post(f"/sud-ouest/gestion/inscriptions/{paul.pk}/refuser/", {"reason": reason})

        assert response.status_code in (302, 400)
        paul.refresh_from_db()
        messages = OutboxMessage.objects.filter(to_email=cast.paul.email, subject__contains="inscription")
        if response.status_code == 400:
            assert paul.state == Agent.State.AWAITING_APPROVAL
            assert not messages.filter(body_text__contains="motif").exists()
            assert "fr-message--error" in response.content.decode()
            assert_shown_escaped(response.content.decode(), reason)
        else:
            assert paul.state == Agent.State.REJECTED
            [message] = messages.filter(body_text__contains="motif")
            assert_shown_escaped(message.body_html, reason)


def pending_transfer(alice: User, message: str = "") -> Transfer:
    transfer = transfer_open_for(alice)
    if transfer is None:
        transfer = transfer_request(
            agent_id=alice.agent.pk,
            destination=Organisation.objects.get(slug="nord"),
            reason="move",
            effective_date=timezone.localdate(),
            message=message,
            actor=alice,
        )
    return transfer


@FUZZ
@given(message=SHOWN)
def test_the_transfer_message_reaches_the_destination_csr_escaped(client, cast, message):
    client.force_login(cast.alice)
    nord = Organisation.objects.get(slug="nord")
    data = {"destination": str(nord.pk), "reason": "move", "effective_date": timezone.localdate().isoformat()}
    with rolled_back():
        response = client.post("/sud-ouest/transfert/", {**data, "message": message})

        assert response.status_code in (200, 302)
        transfer = transfer_open_for(cast.alice)
        if response.status_code == 200:
            assert transfer is None
            assert_shown_escaped(response.content.decode(), message)
        else:
            assert transfer is not None
            csr = Client()
            csr.force_login(cast.chloe)
            detail = csr.get(f"/nord/gestion/transferts/{transfer.pk}/")
            assert detail.status_code == 200
            assert_shown_escaped(detail.content.decode(), message)


@FUZZ
@given(reason=SHOWN)
def test_the_transfer_refusal_reason_survives_anything_and_the_agent_reads_it_escaped(client, cast, reason):
    client.force_login(cast.chloe)
    with rolled_back():
        transfer = pending_transfer(cast.alice)
        response = client.post(f"/nord/gestion/transferts/{transfer.pk}/refuser/", {"reason": reason})

        assert response.status_code in (302, 400)
        transfer.refresh_from_db()
        refusals = OutboxMessage.objects.filter(to_email=cast.alice.email, body_text__contains="n'a pas accepté")
        if response.status_code == 400:
            assert transfer.state == Transfer.State.PENDING
            assert not refusals.exists()
            assert_shown_escaped(response.content.decode(), reason)
        else:
            assert transfer.state == Transfer.State.REFUSED
            [refusal] = refusals
            assert_shown_escaped(refusal.body_html, reason)


@FUZZ
@given(field=st.sampled_from(["organisation", "actor", "subject", "action", "since", "until", "page"]), value=SHOWN)
def test_the_audit_journal_filters_survive_anything(client, cast, field, value):
    client.force_login(cast.nadia)
    events = AuditEvent.objects.count()

    response = client.get("/gestion/journal/", {field: value})

    assert response.status_code == 200
    body = response.content.decode()
    assert_shown_escaped(body, value if field in ("actor", "subject") else "")
    assert AuditEvent.objects.count() == events


@FUZZ
@given(field=st.sampled_from(["q", "etat", "employeur", "situation", "tri", "page"]), value=SHOWN)
def test_the_association_members_search_survives_anything_and_echoes_it_escaped(client, cast, field, value):
    client.force_login(cast.david)

    response = client.get("/aramis/gestion/agents-connus/", {field: value})

    assert response.status_code == 200
    body = response.content.decode()
    assert_shown_escaped(body, value if field == "q" else "")
    if field == "q" and value in PAYLOADS:
        assert f'value="{escape(value)}"' in body  # back in the search box, as text


PASSWORD = "alpha-sierra-demo"


@FUZZ
@given(field=st.sampled_from(["oldpassword", "password1", "password2"]), value=HOSTILE)
def test_the_password_change_form_survives_anything(client, cast, field, value):
    cache.clear()  # allauth's rate limits would answer 429 after a few examples
    client.force_login(cast.alice)
    data = {"oldpassword": PASSWORD, "password1": "un nouveau mot de passe solide"}
    data["password2"] = data["password1"]
    data[field] = value

    with rolled_back():
        response = client.post("/comptes/password/change/", data)

        assert response.status_code in (200, 302)
        changed = not User.objects.get(pk=cast.alice.pk).check_password(PASSWORD)
        assert changed == (response.status_code == 302)
        if response.status_code == 200 and value.strip("\x00"):
            assert f'value="{escape(value)}"' not in response.content.decode()  # passwords are never echoed


@FUZZ
@given(email=SHOWN)
def test_the_email_change_form_survives_anything_and_echoes_it_escaped(client, cast, email):
    cache.clear()
    client.post("/comptes/login/", {"login": "alice@example.fr", "password": PASSWORD})
    client.post("/comptes/reauthenticate/", {"password": PASSWORD})
    addresses = set(EmailAddress.objects.values_list("email", flat=True))

    with rolled_back():
        response = client.post("/comptes/email/", {"action_add": "", "email": email})

        assert response.status_code in (200, 302)
        added = set(EmailAddress.objects.values_list("email", flat=True)) - addresses
        if response.status_code == 200:
            assert added == set()
            assert_shown_escaped(response.content.decode(), email)
        else:
            assert len(added) == 1
            assert User.objects.get(pk=cast.alice.pk).email == "alice@example.fr"  # not before it is confirmed


# --- The activities, as agents send them.


@FUZZ
@given(field=st.sampled_from(["people", "places", "step", "participant"]), value=HOSTILE)
def test_the_household_request_and_its_cancellation_survive_anything(client, cast, field, value):
    activity = outing()
    client.force_login(cast.alice)
    data = {"people": ["agent"], "places": "famille", "step": "confirmer"}
    data[field] = value

    with transaction.atomic():
        response = client.post(f"/sud-ouest/activites/{activity.pk}/", data)
        live = Registration.objects.filter(activity=activity).exclude(state="cancelled").first()
        cancel = client.post(f"/comptes/inscriptions/{live.pk}/annuler/", {field: value}) if live else None
        transaction.set_rollback(True)

    assert response.status_code in (200, 302, 400)
    if response.status_code == 400:
        assert "fr-message--error" in response.content.decode() or "fr-alert" in response.content.decode()
        assert live is None
    assert cancel is None or cancel.status_code in (302, 404)


# --- Each site's images, as its managers send them.

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"  # how a JPEG starts: a file that claims to be one
IMAGE_BYTES = st.one_of(
    st.binary(max_size=2000),
    st.builds(JPEG.__add__, st.binary(max_size=2000)),
    st.builds(b"\x89PNG\r\n\x1a\n".__add__, st.binary(max_size=2000)),
    st.builds(b"RIFF\x00\x00\x00\x00WEBPVP8 ".__add__, st.binary(max_size=2000)),
    st.sampled_from([b"GIF89a/*" + payload.encode() + b"*/" for payload in PAYLOADS]),
)


def _small_jpeg() -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "white").save(out, "JPEG")
    return out.getvalue()


@FUZZ
@given(data=IMAGE_BYTES, name=SHOWN, alt=SHOWN)
@example(data=b"", name=MARKUP, alt=MARKUP)
@example(data=b"", name="photos/", alt="")
def test_the_images_form_survives_any_file_and_description_and_shows_them_escaped(
    client, cast, tmp_path, data, name, alt
):
    client.force_login(cast.bruno)
    images = "/sud-ouest/gestion/contenu/images/"
    with override_settings(MEDIA_ROOT=tmp_path), transaction.atomic():
        for content in (data, _small_jpeg()):
            # What a browser sends: a name without folders (Django refuses to
            # build an upload of "", "." or "..", as a browser never sends one).
            filename = os.path.basename(name[:200])
            upload = SimpleUploadedFile(
                filename if filename not in {"", ".", ".."} else "x", content, content_type="image/jpeg"
            )
            response = client.post(images, {"file": upload, "alt": alt})
            stored = Image.objects.filter(organisation__slug="sud-ouest").first()
            body = client.get(images).content.decode() if response.status_code == 302 else response.content.decode()

            assert response.status_code in (200, 302)
            assert_shown_escaped(body, alt if stored else "")
            if response.status_code == 200:
                assert stored is None
                assert "fr-message--error" in body
            else:
                assert stored is not None
                # The portal's random name, whatever the file was called.
                assert re.fullmatch(r"contenu/[0-9a-f]{32}\.(jpg|png|webp)", str(stored.file.name))
        transaction.set_rollback(True)
