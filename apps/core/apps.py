from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_reference_data(sender, **kwargs):
    """The data migration loads the reference rows; a database that was flushed since (as
    transactional tests do, or an admin's ``manage.py flush``) gets them back here, the way
    Django restores its content types and permissions."""
    from .models import SDGGoal
    from .reference import ensure_reference_data

    if not SDGGoal.objects.exists():
        ensure_reference_data()


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Gemeenten en referentiegegevens")

    def ready(self):
        from .converters import register

        # Before any URLconf is imported: every app's urls.py uses <nis:…> and <id:…>.
        register()
        post_migrate.connect(restore_reference_data, sender=self)
