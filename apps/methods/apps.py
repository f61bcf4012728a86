from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_reference_data(sender, **kwargs):
    """The methods come from a data migration; a flushed database gets them back here (as in
    apps.library.apps)."""
    from .models import Method
    from .reference import ensure_methods

    if not Method.objects.exists():
        ensure_methods()


class MethodsConfig(AppConfig):
    name = "apps.methods"
    label = "methods"
    verbose_name = _("Werkvormen")

    def ready(self):
        from apps.core.demo import register_demo

        from .demo import load_demo_worksheets
        from .printing import register_printables

        post_migrate.connect(restore_reference_data, sender=self)
        # After the meerjarenplan's loader (INSTALLED_APPS order): the theory of change hands
        # two activities to the demo plan.
        register_demo(load_demo_worksheets)
        register_printables()
