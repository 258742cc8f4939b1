from django.utils.translation import gettext_lazy as _

# How each action reads to the person it is about.
ACTION_LABELS = {
    "agent.registered": _("Inscription sur le site du CLAS"),
    "agent.email_confirmed": _("Adresse e-mail confirmée"),
    "agent.confirmation_resent": _("E-mail de confirmation renvoyé"),
    "agent.approved": _("Inscription validée"),
    "agent.rejected": _("Inscription refusée"),
    "agent.viewed": _("Données consultées"),
    "agent.updated": _("Données modifiées"),
    "agent.family_updated": _("Famille modifiée"),
    "agent.data_downloaded": _("Données téléchargées"),
    "agent.deletion_requested": _("Suppression du compte demandée"),
    "agent.deletion_cancelled": _("Demande de suppression annulée"),
    "transfer.requested": _("Transfert demandé"),
    "transfer.accepted": _("Transfert accepté"),
    "transfer.refused": _("Transfert refusé"),
    "transfer.cancelled": _("Transfert annulé"),
    "role.granted": _("Rôle attribué"),
    "role.revoked": _("Rôle retiré"),
    "agent.signup_attempt_existing": _("Tentative d'inscription avec votre adresse"),
}
