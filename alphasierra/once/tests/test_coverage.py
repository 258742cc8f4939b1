"""No state-changing form escapes: each carries the one-time token, and the
view it posts to spends it."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve
from PIL import Image as PillowImage

from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.agents.services.erasure import agent_request_deletion
from alphasierra.content.services.editing import content_withdraw
from alphasierra.content.services.images import image_upload
from alphasierra.content.tests.drafts import a_news_item, a_page, newest, page_draft
from alphasierra.once.services import FIELD
from alphasierra.once.tests.forms import forms_of
from alphasierra.once.tests.test_forms import PASSWORD, ask, reauthenticate
from alphasierra.organisations.models import Organisation
from alphasierra.testing import make_agents

# Forms whose second submission is harmless by nature: logging out an
# already closed session, choosing the language already chosen, logging in
# again (no row, e-mail nor audit event: the session is replaced), and
# allauth's reauthentication (it only notes the time of the password).
WITHOUT_TOKEN = {"account_logout", "set_language"}
NOT_SPENT = WITHOUT_TOKEN | {"account_login", "account_reauthenticate"}


def template_forms() -> list[tuple[str, str]]:
    root = Path(__file__).resolve().parents[2] / "templates"
    found = []
    for path in sorted(root.rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<form\b[^>]*>", text):
            if 'method="post"' in match.group(0):
                end = text.find("</form>", match.end())
                found.append((f"{path.relative_to(root)}: {match.group(0)}", text[match.end() : end]))
    return found


@pytest.mark.parametrize(("form", "body"), template_forms(), ids=[form for form, _ in template_forms()])
def test_every_post_form_of_the_templates_renders_the_token(form, body):
    if "account_logout" in form or "set_language" in form:
        pytest.skip("harmless when sent twice, see WITHOUT_TOKEN")
    assert "{% form_once %}" in body


def activity_pages(cast) -> list[str]:
    """The managers' forms of the activities: a draft, and a published outing with Alice's request."""
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    draft = new_activity(sud_ouest, cast.bruno, publish=False)
    activity = new_activity(sud_ouest, cast.bruno)
    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    newcomer = make_agents(1, sud_ouest, "approved", start=8000)[0]
    base = "/sud-ouest/gestion/activites/"
    return [
        f"{base}nouvelle/",
        f"{base}{draft.pk}/",
        f"{base}{activity.pk}/",
        f"{base}{activity.pk}/modifier/",
        f"{base}{activity.pk}/annuler/",
        f"{base}{activity.pk}/ajouter/?agent={newcomer.pk}",
        f"{base}demandes/{registration.pk}/retirer/",
    ]


def content_pages(cast) -> list[str]:
    """The content editor's forms: a page online (withdraw), one withdrawn (publish
    again), a draft's preview (publish) and an older version's (restore)."""
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    page = a_page(sud_ouest, cast.bruno)
    older = newest(page)
    draft = page_draft(page, cast.bruno, title="Nos permanences d'été")
    news = a_news_item(sud_ouest, cast.bruno)
    withdrawn = a_page(sud_ouest, cast.bruno, title="Ancienne", slug="ancienne")
    content_withdraw(item=withdrawn, actor=cast.bruno)
    base = "/sud-ouest/gestion/contenu/"
    return [
        f"{base}accueil/",
        f"{base}pages/nouvelle/",
        f"{base}pages/{page.pk}/",
        f"{base}pages/{withdrawn.pk}/",
        f"{base}actualites/nouvelle/",
        f"{base}actualites/{news.pk}/",
        f"{base}versions/{draft.pk}/",
        f"{base}versions/{older.pk}/",
    ]


def image_pages(cast) -> list[str]:
    """The images page, and the deletion of an image of Sud-Ouest."""
    out = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "white").save(out, "JPEG")
    image = image_upload(
        organisation=Organisation.objects.get(slug="sud-ouest"),
        actor=cast.bruno,
        upload=SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg"),
        alt="Le car du CLAS",
    )
    return ["/sud-ouest/gestion/contenu/images/", f"/sud-ouest/gestion/contenu/images/{image.pk}/supprimer/"]


def pages(cast) -> dict[str, list[str]]:
    """The pages that show a POST form, for who sees them."""
    alice, paul = cast.alice.agent, cast.paul.agent
    transfer = ask(cast)
    agent_request_deletion(user=cast.alice)
    return {
        "": [
            "/sud-ouest/inscription/",
            "/sud-ouest/inscription/envoyee/",
            "/comptes/confirmation/envoyee/",
            "/comptes/confirmation/code/",
            "/comptes/confirm-email/not-a-key/",
            "/comptes/login/",
            "/comptes/password/reset/",
        ],
        "alice": [
            "/comptes/mon-compte/",
            "/comptes/mon-compte/modifier/",
            "/comptes/mon-compte/famille/",
            "/comptes/mon-compte/supprimer/",
            "/sud-ouest/transfert/",
            "/unasacem/",
            "/comptes/password/change/",
            "/comptes/reauthenticate/",
            "/comptes/email/",
            "/comptes/sessions/",
            "/comptes/2fa/totp/activate/",
        ],
        "karim": ["/nord/transfert/", "/comptes/mon-compte/supprimer/"],
        "bruno": [
            f"/sud-ouest/gestion/inscriptions/{paul.pk}/",
            f"/sud-ouest/gestion/agents/{alice.pk}/modifier/",
            f"/sud-ouest/gestion/agents/{alice.pk}/famille/",
            "/sud-ouest/gestion/suppressions/",
            "/comptes/2fa/totp/deactivate/",
            "/comptes/2fa/recovery-codes/generate/",
        ],
        "chloe": [f"/nord/gestion/transferts/{transfer.pk}/"],
        "bruno-activities": activity_pages(cast),
        "bruno-content": content_pages(cast),
        "bruno-images": image_pages(cast),
        "nadia": ["/gestion/roles/?q=example"],
    }


@pytest.mark.django_db
def test_every_post_form_of_every_page_carries_a_token_its_view_spends(client: Client, cast):
    # Alice is known to ARAMIS (a form to withdraw) and withdrew from UNASACEM (a form to come back).
    client.force_login(cast.alice)
    client.get("/aramis/")
    client.get("/unasacem/")
    client.post("/comptes/mon-compte/associations/unasacem/retirer/")
    # ... and logged in on a second device (a form to end that session).
    Client().post("/comptes/login/", {"login": cast.alice.email, "password": PASSWORD})
    checked = set()
    for persona, urls in pages(cast).items():
        client.logout()
        if persona:
            client.force_login(getattr(cast, persona.split("-")[0]))
            # The pages of the account's security open just after the password is typed again.
            reauthenticate(client)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            for form in forms_of(response.content.decode()):
                if form.method != "post":
                    continue
                view = resolve(form.action.split("?")[0])
                name = view.url_name or ""
                checked.add(name)
                if name in WITHOUT_TOKEN:
                    continue
                assert FIELD in dict(form.fields), f"{url}: the form to {form.action} has no token"
                if name not in NOT_SPENT:
                    assert getattr(view.func, "form_once", False), f"{form.action} does not spend the token"
    # Each form of the portal was met at least once.
    assert {
        "signup",
        "signup-resend",
        "confirmation-resend",
        "confirmation-code",
        "my-account-edit",
        "my-family",
        "my-account-delete",
        "association-withdraw",
        "relink",
        "request",
        "cancel",
        "request-approve",
        "request-reject",
        "deletion-confirm",
        "register-edit",
        "register-family",
        "accept",
        "refuse",
        "national-role-grant",
        "national-role-revoke",
        "account_reset_password",
        "account_change_password",
        "account_email",
        "usersessions_list",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_generate_recovery_codes",
        "manage-new",
        "manage-edit",
        "manage-publish",
        "manage-close",
        "manage-duplicate",
        "manage-cancel",
        "manage-add",
        "manage-remove",
        "home-edit",
        "page-new",
        "page-edit",
        "page-withdraw",
        "news-new",
        "news-edit",
        "news-withdraw",
        "revision-publish",
        "revision-restore",
        "images",
        "image-delete",
    } <= checked
