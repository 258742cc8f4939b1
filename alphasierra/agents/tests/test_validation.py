"""Field validation of agent sign-up data."""

import datetime

import phonenumbers
import pytest
from django.core.exceptions import ValidationError

from alphasierra.agents.validation import (
    clean_person_name,
    parse_phone,
    phone_display,
    phone_international,
    phone_region_for_site,
    phone_to_e164,
    validate_birth_date,
    validate_children_count,
    validate_postal_code,
)


@pytest.mark.parametrize(
    "value",
    ["05 61 00 00 00", "0561000000", "05.61.00.00.00", "05-61-00-00-00", "+33 5 61 00 00 00", "0033561000000"],
)
def test_french_numbers_in_national_and_international_form(value):
    assert phone_to_e164(value) == "+33561000000"


def test_a_french_number_keeps_its_country_whatever_the_site_region():
    assert phone_to_e164("05 61 00 00 00", region="NC") == "+33561000000"
    assert phone_to_e164("06 12 34 56 78", region="RE") == "+33612345678"


@pytest.mark.parametrize(
    ("value", "e164", "region_code"),
    [
        ("+590 590 12 34 56", "+590590123456", "GP"),
        ("+596 596 30 12 34", "+596596301234", "MQ"),
        ("+596 696 20 12 34", "+596696201234", "MQ"),
        ("+594 594 12 34 56", "+594594123456", "GF"),
        ("+262 262 12 34 56", "+262262123456", "RE"),
        ("+262 269 61 12 34", "+262269611234", "YT"),
        ("+687 24 12 34", "+687241234", "NC"),
        ("+689 40 50 12 34", "+68940501234", "PF"),
        ("+508 41 12 34", "+508411234", "PM"),
        ("+681 72 12 34", "+681721234", "WF"),
    ],
)
def test_overseas_numbers_in_international_form(value, e164, region_code):
    assert phone_to_e164(value) == e164
    assert phonenumbers.region_code_for_number(parse_phone(value)) == region_code


@pytest.mark.parametrize(
    ("value", "region", "e164"),
    [
        ("24 12 34", "NC", "+687241234"),
        ("40 50 12 34", "PF", "+68940501234"),
        ("87 12 34 56", "PF", "+68987123456"),
        ("0692 12 34 56", "RE", "+262692123456"),
        ("0696 20 12 34", "MQ", "+596696201234"),
    ],
)
def test_local_numbers_are_read_in_the_site_region(value, region, e164):
    assert phone_to_e164(value, region=region) == e164


@pytest.mark.parametrize(
    ("value", "e164"),
    [
        ("0590 12 34 56", "+590590123456"),
        ("0690 00 12 34", "+590690001234"),
        ("0696 12 34 56", "+596696123456"),
        ("0596 30 12 34", "+596596301234"),
        ("0594 12 34 56", "+594594123456"),
        ("0694 20 12 34", "+594694201234"),
        ("0262 12 34 56", "+262262123456"),
        ("0692 12 34 56", "+262692123456"),
        ("0269 60 12 34", "+262269601234"),
        ("0639 01 23 45", "+262639012345"),
    ],
)
@pytest.mark.parametrize("region", ["FR", "NC", "PF", "RE", "MQ"])
def test_overseas_department_numbers_in_french_national_form_are_understood_everywhere(value, e164, region):
    assert phone_to_e164(value, region=region) == e164


@pytest.mark.parametrize("value", ["0800 12 34 56", "0806 12 34 56", "09 76 01 23 45"])
def test_french_service_numbers_stay_french(value):
    assert phone_to_e164(value).startswith("+33")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "12",
        "abc",
        "05 61 00",
        "05 61 00 00 00 00",
        "0800 FLEURS",
        "05 61 00 00 00 poste 12",
        "+33 5 61 00 00 00 00 00 00 00 00 00",
        "05      61      00      00      00",
        "+689 40 12 34 56",
        "24 12 34",
    ],
)
def test_invalid_phone_numbers_are_refused(value):
    with pytest.raises(ValidationError) as error:
        parse_phone(value)

    assert error.value.code == "invalid_phone"


# One number a place, with the region of the CLAS site that sits there (the
# metropolitan "FR" for places without one).
NUMBERS_BY_PLACE = [
    # e164, its own site's region, national form, international form
    ("+33561000000", "FR", "05 61 00 00 00", "+33 5 61 00 00 00"),
    ("+594694201234", "MQ", "+594 694 20 12 34", "+594 694 20 12 34"),  # Guyane, on the Antilles-Guyane CLAS
    ("+262692123456", "RE", "0692 12 34 56", "+262 692 12 34 56"),  # Réunion
    ("+262269601234", "RE", "0269 60 12 34", "+262 269 60 12 34"),  # Mayotte, +262 too
    ("+590590271234", "MQ", "+590 590 27 12 34", "+590 590 27 12 34"),  # Guadeloupe
    ("+596596301234", "MQ", "0596 30 12 34", "+596 596 30 12 34"),  # Martinique
    ("+508411234", "FR", "+508 41 12 34", "+508 41 12 34"),  # Saint-Pierre-et-Miquelon
    ("+687751234", "NC", "75 12 34", "+687 75 12 34"),  # Nouvelle-Calédonie
    ("+68987123456", "PF", "87 12 34 56", "+689 87 12 34 56"),  # Polynésie
    ("+681721234", "FR", "+681 72 12 34", "+681 72 12 34"),  # Wallis-et-Futuna
    ("+34612345678", "FR", "+34 612 34 56 78", "+34 612 34 56 78"),  # a retiree in Spain
    ("+12025550123", "FR", "+1 202-555-0123", "+1 202-555-0123"),  # a retiree in the United States
]


@pytest.mark.parametrize(("e164", "region", "national", "international"), NUMBERS_BY_PLACE)
def test_a_metropolitan_viewer_reads_every_other_calling_code_internationally(e164, region, national, international):
    shown = phone_display(e164, region="FR")

    assert shown == (national if e164.startswith("+33") else international)
    assert phone_to_e164(shown, region="FR") == e164


@pytest.mark.parametrize(("e164", "region", "national", "international"), NUMBERS_BY_PLACE)
def test_a_viewer_of_the_same_region_reads_the_national_form(e164, region, national, international):
    shown = phone_display(e164, region=region)

    assert shown == national
    # The form reads what it shows in the same region: the number is unchanged.
    assert phone_to_e164(shown, region=region) == e164


@pytest.mark.parametrize(("e164", "region", "national", "international"), NUMBERS_BY_PLACE)
def test_a_file_has_every_number_internationally(e164, region, national, international):
    assert phone_international(e164) == international


def test_the_libphonenumber_regions_of_the_overseas_numbers():
    # Why the rule compares calling codes: RE and YT are two regions of one +262.
    regions = {e164: phonenumbers.region_code_for_number(parse_phone(e164)) for e164, *_ in NUMBERS_BY_PLACE}

    assert regions["+262692123456"] == "RE"
    assert regions["+262269601234"] == "YT"
    assert regions["+594694201234"] == "GF"
    assert regions["+590590271234"] in {"GP", "BL"}
    assert regions["+596596301234"] == "MQ"
    assert regions["+508411234"] == "PM"
    assert regions["+687751234"] == "NC"
    assert regions["+68987123456"] == "PF"
    assert regions["+681721234"] == "WF"
    assert phone_display("+262269601234", region="RE") == "0269 60 12 34"


@pytest.mark.parametrize(
    ("slug", "region"),
    [
        ("nouvelle-caledonie", "NC"),
        ("polynesie-francaise", "PF"),
        ("ocean-indien", "RE"),
        ("antilles-guyane", "MQ"),
        ("sud-ouest", "FR"),
        ("aramis", "FR"),
    ],
)
def test_each_site_has_a_phone_region(slug, region):
    assert phone_region_for_site(slug) == region


@pytest.mark.parametrize(
    "value",
    [
        "31000",
        "75001",
        "01000",
        "20000",
        "95000",
        "97110",
        "97133",
        "97150",
        "97200",
        "97300",
        "97400",
        "97500",
        "97600",
        "98600",
        "98700",
        "98800",
    ],
)
def test_french_postal_codes_are_accepted(value):
    assert validate_postal_code(value) == value


def test_spaces_are_removed_from_postal_codes():
    assert validate_postal_code(" 31 000 ") == "31000"


@pytest.mark.parametrize(
    "value",
    ["", "00100", "96000", "97000", "97900", "98000", "98500", "98900", "99000", "3100", "310000", "ABCDE", "31-000"],
)
def test_other_postal_codes_are_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_postal_code(value)

    assert error.value.code == "invalid_postal_code"


@pytest.mark.parametrize(
    "value",
    [
        "N'Diaye",
        "Saint-Exupéry",
        "de La Fontaine",
        "Nguyễn",
        "Øyvind",
        "Zoë",
        "Jean-Pierre",
        "St. Clair",
        "Ōta",
        "Шевченко",
        "李",
    ],
)
def test_names_are_accepted(value):
    assert clean_person_name(value) == value


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("O’Connor", "O'Connor"),
        ("  de   La  Fontaine ", "de La Fontaine"),
        ("Zoe\u0308", "Zoë"),
        ("Marie\u00a0Claire", "Marie Claire"),
    ],
)
def test_names_are_cleaned(value, cleaned):
    assert clean_person_name(value) == cleaned


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "Louis 14",
        "Dupont!",
        "Dupont, Jean",
        "<script>",
        "Du\x00pont",
        "Du\x07pont",
        "-Dupont",
        "Dupont-",
        "'Dupont",
        "Dupont'",
        "Saint--Exupéry",
        "Saint- Exupéry",
        "N''Diaye",
        ".Dupont",
        "St..",
        "Dupont .",
    ],
)
def test_invalid_names_are_refused(value):
    with pytest.raises(ValidationError) as error:
        clean_person_name(value)

    assert error.value.code == "invalid_name"


def test_names_longer_than_the_maximum_are_refused():
    assert clean_person_name("a" * 100) == "a" * 100
    with pytest.raises(ValidationError) as error:
        clean_person_name("a" * 101)

    assert error.value.code == "name_too_long"
    assert error.value.params == {"max": 100}


def test_the_maximum_name_length_applies_after_cleaning():
    assert clean_person_name("  Ana  Lu  ", max_length=6) == "Ana Lu"
    with pytest.raises(ValidationError) as error:
        clean_person_name("Anabela", max_length=6)

    assert error.value.code == "name_too_long"


TODAY = datetime.date(2026, 3, 15)


@pytest.mark.parametrize("value", [datetime.date(2026, 3, 14), datetime.date(1980, 6, 1), datetime.date(1906, 3, 15)])
def test_past_birth_dates_are_accepted(value):
    validate_birth_date(value, today=TODAY)


@pytest.mark.parametrize("value", [TODAY, datetime.date(2026, 3, 16), datetime.date(2030, 1, 1)])
def test_birth_dates_from_today_on_are_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_birth_date(value, today=TODAY)

    assert error.value.code == "birth_date_future"


@pytest.mark.parametrize("value", [datetime.date(1890, 1, 1), datetime.date(1906, 3, 14)])
def test_birth_dates_more_than_120_years_ago_are_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_birth_date(value, today=TODAY)

    assert error.value.code == "birth_date_implausible"


def test_the_120_years_limit_copes_with_29_february():
    # 1900 was not a leap year.
    validate_birth_date(datetime.date(1900, 2, 28), today=datetime.date(2020, 2, 29))
    with pytest.raises(ValidationError) as error:
        validate_birth_date(datetime.date(1900, 2, 27), today=datetime.date(2020, 2, 29))

    assert error.value.code == "birth_date_implausible"


def test_birth_dates_default_to_the_current_day():
    today = datetime.date.today()
    validate_birth_date(today - datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as error:
        validate_birth_date(today + datetime.timedelta(days=2))

    assert error.value.code == "birth_date_future"


@pytest.mark.parametrize(("count", "listed"), [(None, 0), (None, 3), (0, 0), (2, 2), (3, 1)])
def test_children_counts_at_least_the_listed_children_are_accepted(count, listed):
    validate_children_count(count, listed)


def test_a_children_count_below_the_listed_children_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_children_count(1, 2)

    assert error.value.code == "children_count_too_low"
    assert error.value.params == {"listed": 2}


def test_a_negative_children_count_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_children_count(-1, 0)

    assert error.value.code == "children_count_negative"
