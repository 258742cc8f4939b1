"""The form of the images page: a file and its alternative text. The file is
judged by ``content.images`` (through ``image_upload``), not by its name nor
the type the browser announces; ``accept`` only helps the browser's picker."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alphasierra.content.services.images import ALT_MAX, ALT_REQUIRED


class ImageUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Image"),
        help_text=_(
            "JPEG, PNG ou WebP ; 5 Mo et 6 000 pixels de côté au plus. "
            "Les métadonnées (lieu de la prise de vue, appareil) sont retirées."
        ),
        error_messages={
            "required": _("Choisissez l'image à envoyer."),
            "empty": _("Le fichier choisi est vide."),
            "invalid": _("Le fichier n'a pas été reçu : choisissez-le de nouveau."),
        },
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "class": "fr-upload"}),
    )
    alt = forms.CharField(
        label=_("Texte alternatif"),
        max_length=ALT_MAX,
        help_text=_(
            "Ce que l'image apprend à qui ne la voit pas, en une phrase : « Les enfants du centre aéré au bord "
            "du lac ». Ni « image », ni « photo », ni le nom du fichier."
        ),
        error_messages={
            "required": ALT_REQUIRED,
            "max_length": _(
                "Le texte alternatif tient en %(limit_value)d caractères au plus (il en a %(show_value)d)."
            ),
        },
    )

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's refusals, next to the field they are about."""
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def file_to_choose_again(self) -> bool:
        """Sent back with an error: a browser never keeps the file chosen, the
        manager must pick it again (what they typed is kept)."""
        return self.is_bound and bool(self.errors) and "file" not in self.errors
