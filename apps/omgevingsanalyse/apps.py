from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_structures(sender, using="default", **kwargs):
    """The data migration loads the structures; a flushed database gets them back here.
    A migrate that stopped before this app's tables (``migrate library 0004`` on a new
    database) sends the signal too: then there is nothing to restore yet."""
    from django.db import connections

    from .models import Structure
    from .reference import ensure_structures

    if Structure._meta.db_table not in connections[using].introspection.table_names():
        return
    if not Structure.objects.using(using).exists():
        ensure_structures()


class OmgevingsanalyseConfig(AppConfig):
    name = "apps.omgevingsanalyse"
    label = "omgevingsanalyse"
    verbose_name = _("Omgevingsanalyse en visie & missie")

    def ready(self) -> None:
        from apps.core import dashboard
        from apps.core.demo import register_demo

        from .dashboard import analysis_card, vision_card
        from .demo import load_demo_documents
        from .printing import register_printables
        from .reviewing import register_reviewables

        dashboard.register("visie_missie", vision_card)
        dashboard.register("omgevingsanalyse", analysis_card)
        register_demo(load_demo_documents)
        post_migrate.connect(restore_structures, sender=self)
        register_printables()
        register_reviewables()
