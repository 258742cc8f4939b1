from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from alphasierra.french import grammar

NORD = SimpleNamespace(kind="clas", name="CLAS Nord")
OCEAN = SimpleNamespace(kind="clas", name="CLAS Océan Indien")
ARAMIS = SimpleNamespace(kind="association", name="ARAMIS")
UNASACEM = SimpleNamespace(kind="association", name="UNASACEM")
NATIONAL = SimpleNamespace(kind="national", name="Alpha Sierra")


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("ARAMIS", "d'ARAMIS"),
        ("UNASACEM", "d'UNASACEM"),
        ("ANAFACEM", "d'ANAFACEM"),
        ("Alice Martin", "d'Alice Martin"),
        ("Émilie Roux", "d'Émilie Roux"),
        ("Hélène Roux", "d'Hélène Roux"),
        ("Paul Durand", "de Paul Durand"),
        ("Madame Alice Martin", "de Madame Alice Martin"),
    ],
)
def test_de_elides_before_a_vowel_or_a_mute_h(phrase: str, expected: str) -> None:
    assert grammar.de(phrase) == expected


def test_a_clas_takes_the_article_and_an_association_elides() -> None:
    assert [grammar.de_org(o) for o in (NORD, OCEAN, ARAMIS, UNASACEM, NATIONAL)] == [
        "du CLAS Nord",
        "du CLAS Océan Indien",
        "d'ARAMIS",
        "d'UNASACEM",
        "d'Alpha Sierra",
    ]
    assert [grammar.a_org(o) for o in (NORD, ARAMIS)] == ["au CLAS Nord", "à ARAMIS"]
    assert [grammar.le_org(o) for o in (NORD, ARAMIS)] == ["le CLAS Nord", "ARAMIS"]


def test_in_english_the_name_stands_alone() -> None:
    with translation.override("en"):
        assert grammar.de("ARAMIS") == "ARAMIS"
        assert grammar.de_org(NORD) == grammar.a_org(NORD) == grammar.le_org(NORD) == "CLAS Nord"


def test_the_filters_are_built_in() -> None:
    with translation.override("fr"):
        assert render("{{ o|de_org }} {{ o|a_org }} {{ o|le_org|capfirst }}", o=NORD) == (
            "du CLAS Nord au CLAS Nord Le CLAS Nord"
        )
        assert render("{% autoescape off %}{{ name|de }}{% endautoescape %}", name="Alice Martin") == "d'Alice Martin"


def test_the_first_of_the_month_is_written_1er() -> None:
    with translation.override("fr"):
        assert render("{{ d|long_date }}", d=date(2012, 6, 1)) == "1er juin 2012"
        assert render("{{ d|long_date }}", d=date(2012, 6, 2)) == "2 juin 2012"
        assert render('{{ d|long_date:"l j F" }}', d=date(2026, 6, 1)) == "lundi 1er juin"
    with translation.override("en"):
        assert render("{{ d|long_date }}", d=date(2012, 6, 1)) == "1 June 2012"
    assert render("{{ d|long_date }}", d=None) == ""


def test_an_escaped_j_stays_a_letter() -> None:
    assert grammar.first_of_month_format(r"\j j F") == r"\j 1\e\r F"


@override_settings(TIME_ZONE="Europe/Paris")
def test_a_datetime_is_dated_in_the_local_time_zone() -> None:
    # 31 May 23:30 UTC is already 1 June in Paris.
    moment = datetime(2026, 5, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("fr"):
        assert render("{{ d|long_date }}", d=moment) == "1er juin 2026"


@pytest.mark.parametrize(
    ("civility", "expected"),
    [("mme", "née rattachée"), ("m", "né rattaché"), ("", "né(e) rattaché(e)")],
)
def test_words_agree_with_the_civility(civility: str, expected: str) -> None:
    agent = SimpleNamespace(civility=civility)
    assert render('{{ a|agree:"né,née" }} {{ a|agree:"rattaché,rattachée" }}', a=agent) == expected


def test_agree_takes_a_civility_too() -> None:
    assert render('{{ c|agree:"Monsieur,Madame" }}', c="mme") == "Madame"
    assert grammar.agree("", "veuf", "veuve") == "veuf ou veuve"


@pytest.mark.parametrize(
    ("label", "civility", "expected"),
    [
        ("marié(e)", "mme", "mariée"),
        ("marié(e)", "m", "marié"),
        ("marié(e)", "", "marié(e)"),
        ("veuf ou veuve", "mme", "veuve"),
        ("veuf ou veuve", "m", "veuf"),
        ("retraité", "mme", "retraitée"),
        ("actif", "mme", "active"),
        ("validé", "mme", "validée"),
        ("en union libre", "mme", "en union libre"),
        ("Vous êtes connecté(e).", "mme", "Vous êtes connectée."),
    ],
)
def test_a_label_for_everyone_agrees_with_the_civility(label: str, civility: str, expected: str) -> None:
    with translation.override("fr"):
        assert render("{{ label|agreed:c }}", label=label, c=civility) == expected


def test_an_english_label_is_left_alone() -> None:
    with translation.override("en"):
        assert grammar.agree_label("retraité", "mme") == "retraité"
