from django.contrib import admin

from .admin_widgets import SafeAutocompleteAdmin
from .models import (
    ActionArea,
    AmbitionLevel,
    Legislature,
    Membership,
    Municipality,
    SDGGoal,
    SDGTarget,
    YearFigures,
)


class MembershipInline(SafeAutocompleteAdmin, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "nis_code", "province", "inhabitants"]
    list_filter = ["province"]
    search_fields = ["name", "nis_code"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SafeAutocompleteAdmin, admin.ModelAdmin):
    list_display = ["user", "municipality", "role"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__email", "municipality__name"]
    autocomplete_fields = ["user", "municipality"]
    list_select_related = ["user", "municipality"]


@admin.register(Legislature)
class LegislatureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "is_current"]


class SDGTargetInline(admin.TabularInline):
    model = SDGTarget
    fields = ["code", "title_en", "title_nl"]
    readonly_fields = ["code", "title_en"]
    extra = 0
    can_delete = False


@admin.register(SDGGoal)
class SDGGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name_nl", "name_en", "colour", "pillar"]
    list_filter = ["pillar"]
    inlines = [SDGTargetInline]


@admin.register(SDGTarget)
class SDGTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "goal", "title_en", "title_nl"]
    list_filter = ["goal"]
    search_fields = ["code", "title_en", "title_nl"]
    list_select_related = ["goal"]
    fields = ["goal", "code", "title_en", "title_nl", "order"]
    readonly_fields = ["goal", "code", "title_en", "order"]

    # The UN's targets are reference data: a beheerder adds a Dutch title, nothing more.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionArea, AmbitionLevel)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en", "order"]


@admin.register(YearFigures)
class YearFiguresAdmin(SafeAutocompleteAdmin, admin.ModelAdmin):
    list_display = ["municipality", "year", "total_budget", "lmb_budget", "inhabitants"]
    list_filter = ["year"]
    search_fields = ["municipality__name", "municipality__nis_code"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["version", "updated_at", "updated_by"]
