from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import RenderJob


class KindFilter(admin.SimpleListFilter):
    """The registered printable documents, by their label (the field itself has no choices)."""

    title = _("document")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return registry.choices()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    """Read-only: beheerders look at failed or slow renders; users make PDFs in the app."""

    list_display = [
        "created_at",
        "municipality",
        "document",
        "output",
        "status",
        "attempts",
        "worker",
        "size",
        "requested_by",
    ]
    list_filter = ["status", "output", KindFilter]
    list_select_related = ["municipality", "requested_by"]
    search_fields = ["municipality__name", "requested_by__email", "filename"]
    exclude = ["pdf"]
    readonly_fields = ["document", "attempts", "worker"]
    date_hierarchy = "created_at"

    @admin.display(description=_("document"), ordering="kind")
    def document(self, obj: RenderJob) -> str:
        return obj.kind_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
