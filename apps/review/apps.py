from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "apps.review"
    label = "review"
    verbose_name = _("Review en geschiedenis")

    def ready(self):
        from apps.core.editing import register_edit_guard
        from apps.documents.registry import register_context_hook

        from .selectors import edit_guard, print_context

        # Nobody edits a document while it is under review or approved (core names no app).
        register_edit_guard(edit_guard)
        # Every PDF's cover says the document's review state.
        register_context_hook(print_context)
        # After the document apps' demo loaders (this app comes last in INSTALLED_APPS).
        from .demo import register as register_demo_review

        register_demo_review()
