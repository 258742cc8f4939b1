import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Refuse absurdly long passwords (hashing cost), while accepting passphrases
    of 64 characters and more, as OWASP asks."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Ce mot de passe est trop long (%(max)d caractère au plus).",
                    "Ce mot de passe est trop long (%(max)d caractères au plus).",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Votre mot de passe ne doit pas dépasser %(max)d caractères.") % {"max": self.max_length}


def _letters(text: str) -> str:
    """Lower case, without accents, spaces nor punctuation: « Météo-France » is « meteofrance »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if character.isalnum())


class PortalWordsValidator:
    """Refuse a password built on the portal's own words (OWASP ASVS 6.2.11):
    the first guesses of anyone attacking an account of this portal. Short
    words (« CLAS ») are left out: they hide in ordinary ones (« classe »)."""

    WORDS = ("alphasierra", "dgac", "meteofrance", "actionsociale", "aramis", "unasacem", "anafacem")

    def validate(self, password: str, user: object = None) -> None:
        letters = _letters(password)
        for word in self.WORDS:
            if word in letters:
                raise ValidationError(
                    _(
                        "Ce mot de passe contient un mot du portail (le nom du portail, de DGAC, "
                        "de Météo-France ou d'une association) : choisissez-en un autre."
                    ),
                    code="password_portal_word",
                )

    def get_help_text(self) -> str:
        return _(
            "Votre mot de passe ne doit pas contenir le nom du portail, de DGAC, de Météo-France ni d'une association."
        )
