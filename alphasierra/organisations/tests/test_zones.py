"""Times overseas: the page's zone, named when it is not Paris time."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from alphasierra.agents.models import Agent
from alphasierra.organisations.models import Organisation
from alphasierra.organisations.zones import moment_format, time_zone_for

# 06:05 UTC: 07:05 in Paris, 17:05 in Nouméa, 20:05 in Papeete the day before.
MOMENT = datetime(2026, 11, 28, 6, 5, tzinfo=UTC)


def test_a_paris_time_is_not_named():
    with timezone.override("Europe/Paris"):
        assert moment_format(MOMENT) == "28 novembre 2026 à 07:05"


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Pacific/Noumea", "28 novembre 2026 à 17:05 (heure de Nouméa)"),
        ("Pacific/Tahiti", "27 novembre 2026 à 20:05 (heure de Papeete)"),
        ("America/Martinique", "28 novembre 2026 à 02:05 (heure des Antilles)"),
        ("Indian/Reunion", "28 novembre 2026 à 10:05 (heure de La Réunion)"),
        ("Asia/Kolkata", "28 novembre 2026 à 11:35 (heure locale, UTC+05:30)"),
    ],
)
def test_an_overseas_time_names_its_zone(zone, expected):
    with timezone.override(zone):
        assert moment_format(MOMENT) == expected


def test_the_template_filter_takes_a_format_and_ignores_nothing():
    template = Template('{{ when|moment:"SHORT_DATETIME_FORMAT" }}|{{ nothing|moment }}')

    with timezone.override("Pacific/Noumea"):
        assert template.render(Context({"when": MOMENT, "nothing": None})) == "28/11/2026 17:05 (heure de Nouméa)|"


def test_every_overseas_clas_has_a_named_zone(db):
    for organisation in Organisation.objects.exclude(time_zone="Europe/Paris"):
        with timezone.override(organisation.time_zone):
            assert "heure locale" not in moment_format(MOMENT), organisation.slug


def test_a_person_reads_times_in_the_zone_of_their_own_clas(cast):
    Agent.objects.filter(user=cast.karim).update(clas=Organisation.objects.get(slug="nouvelle-caledonie"))

    assert time_zone_for(user=cast.karim) == "Pacific/Noumea"
    assert time_zone_for(email="KARIM@example.fr") == "Pacific/Noumea"
    assert time_zone_for(user=cast.alice) == "Europe/Paris"
    assert time_zone_for(email="nobody@example.fr") == "Europe/Paris"


def test_staff_without_an_agent_record_read_times_in_their_organisations_zone(cast):
    assert time_zone_for(email="responsable.polynesie-francaise@alpha-sierra.org") == "Pacific/Tahiti"


@pytest.mark.parametrize(("path", "zone"), [("/nouvelle-caledonie/", "Pacific/Noumea"), ("/nord/", "Europe/Paris")])
def test_a_site_page_is_in_its_organisations_zone(client, cast, path, zone, monkeypatch):
    seen = []
    from alphasierra.pages import views

    original = views.render

    def spy(request, *args, **kwargs):
        seen.append(timezone.get_current_timezone_name())
        return original(request, *args, **kwargs)

    monkeypatch.setattr(views, "render", spy)

    client.get(path)

    assert seen == [zone]
    assert timezone.get_current_timezone_name() == "Europe/Paris"  # put back after the request
