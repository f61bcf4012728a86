from django.contrib import admin

from .models import RenderJob


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    """Read-only: beheerders look at failed or slow renders; users make PDFs in the app."""

    list_display = ["created_at", "municipality", "kind", "status", "size", "requested_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["municipality", "requested_by"]
    search_fields = ["municipality__name", "requested_by__email", "filename"]
    exclude = ["pdf"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
