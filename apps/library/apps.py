from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_reference_data(sender, **kwargs):
    """Reasons and practice examples come from a data migration; a flushed database gets them
    back here (see apps.core.apps)."""
    from .models import Reason
    from .reference import ensure_library_reference_data

    if not Reason.objects.exists():
        ensure_library_reference_data()


class LibraryConfig(AppConfig):
    name = "apps.library"
    label = "library"
    verbose_name = _("Bibliotheek")

    def ready(self):
        post_migrate.connect(restore_reference_data, sender=self)
