from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def with_email(self, email: str) -> QuerySet["User"]:
        """The account of an address, in any letter case ("Alice@Example.fr"
        is alice@example.fr), found through the index of ``user_email_ci_unique``.

        Not ``email__iexact``: PostgreSQL compiles it to UPPER(email) = UPPER(…),
        which no index serves, and reads every account to find one."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=email.lower())

    def get_by_natural_key(self, username: str | None) -> "User":
        # Logins are case-insensitive (Django's ModelBackend looks accounts up here).
        return self.with_email(username or "").get()

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: one account per agent and family, valid on every site."""

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration technique"), default=False)
    date_joined = models.DateTimeField(_("date de création"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        constraints = [
            # unique=True alone would let "Alice@x.fr" and "alice@x.fr" coexist.
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email
