"""Field validation for agent sign-up data: phone numbers, postal codes,
names, birth dates and the number of children.

Plain functions that return the cleaned value (or nothing) and raise
ValidationError with a French message and a code; forms and models call them.
"""

import datetime
import functools
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PHONE_MAX_LENGTH = 30

# Overseas regions that share the French national numbering plan: their
# numbers are dialled from metropolitan France with a leading 0 ("0590 ...").
OVERSEAS_NATIONAL_PLAN_REGIONS = ("GP", "MQ", "GF", "RE", "YT", "PM")

# Phone region used for numbers typed without an international prefix, by
# CLAS site slug; every other site uses "FR".
SITE_PHONE_REGIONS = {
    "nouvelle-caledonie": "NC",
    "polynesie-francaise": "PF",
    "ocean-indien": "RE",
    "antilles-guyane": "MQ",
}

# Digits and the usual separators only: phonenumbers would otherwise read
# letters as a keypad ("0800 FLEURS") and accept extensions.
PHONE_CHARACTERS = re.compile(r"\+?[0-9().\-/]+")

POSTAL_CODE = re.compile(r"[0-9]{5}")
# Overseas postal codes start with three digits; only these are allocated.
OVERSEAS_POSTAL_PREFIXES = frozenset({"971", "972", "973", "974", "975", "976", "977", "978", "986", "987", "988"})

NAME_SEPARATORS = frozenset(" -'")

BIRTH_DATE_MAX_AGE_YEARS = 120


def phone_region_for_site(slug: str) -> str:
    return SITE_PHONE_REGIONS.get(slug, "FR")


def _invalid_phone() -> ValidationError:
    return ValidationError(
        _(
            "Ce numéro de téléphone n'est pas valide : saisissez-le par exemple "
            "sous la forme 05 61 00 00 00 ou +687 24 12 34."
        ),
        code="invalid_phone",
    )


def _valid_number(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _overseas_number(text: str) -> phonenumbers.PhoneNumber | None:
    for region in OVERSEAS_NATIONAL_PLAN_REGIONS:
        number = _valid_number(text, region)
        if number is not None:
            return number
    return None


def _is_overseas_line(number: phonenumbers.PhoneNumber) -> bool:
    """Whether an overseas reading is a fixed line or mobile number of its own.

    phonenumbers' French metadata still accepts some blocks that belong to
    overseas departments (0596 for Martinique, 0269 for Mayotte): for those the
    overseas reading is the right one. 08 service numbers are shared by the
    whole French plan and stay French.
    """
    line_types = {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    return phonenumbers.number_type(number) in line_types and not str(number.national_number).startswith("8")


def parse_phone(value: str, *, region: str = "FR") -> phonenumbers.PhoneNumber:
    """Parse a phone number typed in national or international form.

    `region` is the region of numbers typed without an international prefix.
    """
    if len(value.strip()) > PHONE_MAX_LENGTH:
        raise _invalid_phone()
    text = "".join(value.split())
    if not PHONE_CHARACTERS.fullmatch(text):
        raise _invalid_phone()

    number = _valid_number(text, region)
    # A number in French national form (0 then the national number) may come
    # from an overseas department whatever the site's region.
    if text.startswith("0") and not text.startswith("00"):
        if number is None:
            number = _valid_number(text, "FR")
        overseas = _overseas_number(text)
        if overseas is not None and (number is None or (number.country_code == 33 and _is_overseas_line(overseas))):
            number = overseas

    if number is None:
        raise _invalid_phone()
    return number


def phone_to_e164(value: str, *, region: str = "FR") -> str:
    return phonenumbers.format_number(parse_phone(value, region=region), phonenumbers.PhoneNumberFormat.E164)


def _phone_text(number: phonenumbers.PhoneNumber, number_format: int) -> str:
    # libphonenumber writes New Caledonian numbers with dots (75.12.34); the
    # portal writes every number with spaces, as French typography does.
    return phonenumbers.format_number(number, number_format).replace(".", " ")


@functools.lru_cache(maxsize=8192)
def phone_display(e164: str, *, region: str) -> str:
    """A stored E.164 number as a person of an organisation in `region` dials it.

    The national form only when the number has the calling code of the
    viewer's region, the international form otherwise: a Nouméa number reads
    « 75 12 34 » on the Nouvelle-Calédonie CLAS's pages and « +687 75 12 34 »
    at ARAMIS in Paris. The rule compares calling codes rather than
    libphonenumber's regions, because the national form dials within one
    calling code: Réunion (RE) and Mayotte (YT) share +262, Guadeloupe,
    Saint-Barthélemy and Saint-Martin share +590, and the United States and
    Canada share +1; each overseas département has its own calling code
    (+594 Guyane, +596 Martinique, +508 Saint-Pierre-et-Miquelon, +687, +689,
    +681 for the Pacific), so none of them is shown nationally to a
    metropolitan viewer (+33).
    """
    number = parse_phone(e164)
    if number.country_code == phonenumbers.country_code_for_region(region):
        return _phone_text(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return _phone_text(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@functools.lru_cache(maxsize=8192)
def phone_international(e164: str) -> str:
    """A stored E.164 number for a file: « +33 5 61 00 00 00 », dialled from anywhere."""
    return _phone_text(parse_phone(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_postal_code(value: str) -> str:
    code = "".join(value.split())
    if not POSTAL_CODE.fullmatch(code) or not _is_allocated_postal_code(code):
        raise ValidationError(
            _("Ce code postal n'est pas un code postal français valide (5 chiffres, par exemple 31000 ou 98800)."),
            code="invalid_postal_code",
        )
    return code


def _is_allocated_postal_code(code: str) -> bool:
    # 01 to 95 are metropolitan départements, Corsica (20) included.
    if 1 <= int(code[:2]) <= 95:
        return True
    return code[:3] in OVERSEAS_POSTAL_PREFIXES


def _invalid_name() -> ValidationError:
    return ValidationError(
        _("Ce nom ne peut contenir que des lettres, des espaces, des traits d'union et des apostrophes."),
        code="invalid_name",
    )


def clean_person_name(value: str, *, max_length: int = 100) -> str:
    """Return the name trimmed, with single spaces, NFC-normalised and with
    typographic apostrophes made straight."""
    name = unicodedata.normalize("NFC", value).replace("’", "'")
    name = " ".join(name.split())
    if len(name) > max_length:
        raise ValidationError(
            _("Ce nom est trop long (%(max)d caractères au plus)."),
            code="name_too_long",
            params={"max": max_length},
        )
    if not name:
        raise _invalid_name()

    previous = ""
    for character in name:
        if character in NAME_SEPARATORS:
            allowed = previous != "" and previous not in NAME_SEPARATORS
        elif character == "." or unicodedata.category(character).startswith("M"):
            # Combining marks and abbreviation dots ("St.") follow a letter.
            allowed = previous != "" and unicodedata.category(previous)[0] in "LM"
        else:
            allowed = unicodedata.category(character).startswith("L")
        if not allowed:
            raise _invalid_name()
        previous = character
    if previous in NAME_SEPARATORS:
        raise _invalid_name()
    return name


def validate_birth_date(value: datetime.date, *, today: datetime.date | None = None) -> None:
    if today is None:
        today = timezone.localdate()
    if value >= today:
        raise ValidationError(_("La date de naissance doit être dans le passé."), code="birth_date_future")
    if value < _years_before(today, BIRTH_DATE_MAX_AGE_YEARS):
        raise ValidationError(_("Cette date de naissance n'est pas plausible."), code="birth_date_implausible")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def validate_children_count(count: int | None, listed_children: int) -> None:
    """Check the declared number of children against the children listed one
    by one (which may be fewer: not every child has to be described)."""
    if count is None:
        return
    if count < 0:
        raise ValidationError(_("Le nombre d'enfants ne peut pas être négatif."), code="children_count_negative")
    if count < listed_children:
        raise ValidationError(
            _("Le nombre d'enfants ne peut pas être inférieur au nombre d'enfants indiqués (%(listed)d)."),
            code="children_count_too_low",
            params={"listed": listed_children},
        )
