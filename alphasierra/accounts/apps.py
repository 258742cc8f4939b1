from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "alphasierra.accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in
        from allauth.usersessions import signals as usersessions_signals

        from alphasierra.accounts import receivers, security_log  # noqa: F401 - connects the signal receivers

        # allauth.usersessions asks the session store about every session of
        # the account at each login (2-3 queries apiece): the portal's receiver
        # does its work in a constant number (services.usersession_login).
        user_logged_in.disconnect(receiver=usersessions_signals.on_user_logged_in)
