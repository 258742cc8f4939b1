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
