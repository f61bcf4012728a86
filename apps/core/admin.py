from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


class YearFiguresAdminForm(forms.ModelForm):
    """The admin's edit form takes part in optimistic locking like the app's figures page:
    it carries the version it was loaded with, and a save from an older version is refused
    (the admin runs the whole change in one transaction, so the row stays locked from this
    check to the save)."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = YearFigures
        fields = ["municipality", "year", "total_budget", "lmb_budget", "inhabitants"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = YearFigures.objects.select_for_update().get(pk=self.instance.pk)
            if current.version != cleaned.get("loaded_version"):
                raise forms.ValidationError(
                    _(
                        "Iemand anders heeft deze cijfers intussen gewijzigd (nu versie "
                        "%(version)s). Open ze opnieuw en vul je wijziging daarin aan."
                    ),
                    code="stale",
                    params={"version": current.version},
                )
        return cleaned


@admin.register(YearFigures)
class YearFiguresAdmin(SafeAutocompleteAdmin, admin.ModelAdmin):
    form = YearFiguresAdminForm
    list_display = ["municipality", "year", "total_budget", "lmb_budget", "inhabitants"]
    list_filter = ["year"]
    search_fields = ["municipality__name", "municipality__nis_code"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        # One more version, by the beheerder: the app's figures page then refuses a save
        # from the version before this one.
        if change:
            obj.touch(request.user)
        else:
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)
