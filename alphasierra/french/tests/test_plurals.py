"""French counts: « 0 transfert », « 1 inscription », « 2 inscriptions ».

The portal's strings are French, so French needs no translation; but an
untranslated string takes gettext's default rule (plural unless n == 1),
which writes « 0 transferts ». The French catalogue gives each counted
string French's rule (plural when n > 1).
"""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from alphasierra.agents.models import Agent

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PLURAL = re.compile(r'^msgid ((?:".*"\n)+)msgid_plural ', re.MULTILINE)


def counted_strings(language: str) -> set[str]:
    return set(PLURAL.findall((LOCALE / language / "LC_MESSAGES" / "django.po").read_text()))


def test_every_counted_string_has_its_french_plural_rule():
    # The English catalogue lists every string of the portal (make translations).
    assert counted_strings("en"), "no counted string found"
    assert counted_strings("en") - counted_strings("fr") == set()


@pytest.mark.parametrize(("n", "expected"), [(0, "0 agent"), (1, "1 agent"), (2, "2 agents")])
def test_french_counts_zero_and_one_in_the_singular(n, expected):
    with translation.override("fr"):
        assert ngettext("%(counter)s agent", "%(counter)s agents", n) % {"counter": n} == expected


@pytest.mark.django_db
def test_the_dashboard_counts_in_french(client, cast):
    Agent.objects.filter(user=cast.paul).update(state=Agent.State.REJECTED, rejection_reason="Inconnu du service.")
    client.force_login(cast.bruno)

    text = " ".join(re.sub(r"<[^>]+>", " ", client.get("/sud-ouest/gestion/").content.decode()).split())

    assert "0 transfert à valider" in text
    assert "0 inscription à valider" in text
    assert "1 inscription refusée" in text
