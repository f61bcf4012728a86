from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = _("Documenten")

    def ready(self):
        # The plan book is a printable document of this app itself (its parts register
        # themselves from their own apps).
        from .book import register_book

        register_book()
