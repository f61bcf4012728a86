from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Log-in is case-insensitive on the email address.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who logs in with an email address; staff users are the platform beheerders."""

    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["email"]
        constraints = [
            # Log-in ignores case, so two accounts may not differ only in case.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class PasswordResetRequest(models.Model):
    """One request for a password-reset mail, kept for an hour to throttle them.

    Neither the address nor the client is stored as such: only keyed digests, enough to count
    requests per address and per client."""

    address_digest = models.CharField(_("adres (digest)"), max_length=64, db_index=True)
    client_digest = models.CharField(_("client (digest)"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("aanvraag voor een nieuw wachtwoord")
        verbose_name_plural = _("aanvragen voor een nieuw wachtwoord")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"
