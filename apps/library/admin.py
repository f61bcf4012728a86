from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.admin_widgets import SafeAutocompleteAdmin
from apps.core.richtext import sanitise

from .models import LibraryField, LibraryProposal, LibrarySubOption, PracticeExample, Reason
from .services import (
    MAX_FILE_BYTES,
    Action,
    LibraryFileError,
    library_export_yaml,
    library_load,
)

# The uploaded file travels from the preview to the confirmation in a signed hidden field, so
# what gets imported is exactly what was previewed, and nobody can slip in other content.
IMPORT_SALT = "library.admin.import"
IMPORT_MAX_AGE = 60 * 60


class LibrarySubOptionInline(admin.TabularInline):
    model = LibrarySubOption
    fields = ["order", "text"]
    extra = 0


class LibraryFieldInline(admin.TabularInline):
    """The fill-in fields; one that belongs to a sub-option is printed only when it is ticked."""

    model = LibraryField
    fields = ["order", "sub_option", "kind", "label", "placeholder", "help"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "sub_option":
            # Only the sub-options of the proposal on the page.
            object_id = str(request.resolver_match.kwargs.get("object_id") or "")
            proposal_id = int(object_id) if object_id.isdigit() and len(object_id) < 19 else 0
            field.queryset = LibrarySubOption.objects.filter(proposal_id=proposal_id)
        return field


class LibraryProposalForm(forms.ModelForm):
    class Meta:
        model = LibraryProposal
        fields = [
            "key",
            "action_area",
            "level",
            "order",
            "title",
            "text",
            "sdg_goals",
            "sdg_targets",
            "guide_reference",
            "is_active",
        ]

    def clean_text(self):
        text = sanitise(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(_("De tekst mag niet leeg zijn."))
        return text


@admin.register(LibraryProposal)
class LibraryProposalAdmin(SafeAutocompleteAdmin, admin.ModelAdmin):
    form = LibraryProposalForm
    list_display = ["key", "title", "action_area", "level", "is_active", "version", "updated_at"]
    list_display_links = ["key", "title"]
    list_filter = ["is_active", "action_area", "level", "sdg_goals"]
    list_select_related = ["action_area", "level"]
    search_fields = ["key", "title", "text", "sub_options__text", "fields__label"]
    ordering = ["action_area__order", "level__order", "order", "key"]
    filter_horizontal = ["sdg_goals"]
    autocomplete_fields = ["sdg_targets"]
    readonly_fields = ["version", "updated_at"]
    fields = [
        "key",
        ("action_area", "level", "order"),
        "title",
        "text",
        "sdg_goals",
        "sdg_targets",
        "guide_reference",
        ("is_active", "version", "updated_at"),
    ]
    inlines = [LibrarySubOptionInline, LibraryFieldInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Same rule as the loader: a new wording is a new version, so memoranda that adopted
        # the proposal can show that the library text changed.
        if change and (
            {"title", "text"}.intersection(form.changed_data)
            or any(formset.has_changed() for formset in formsets)
        ):
            LibraryProposal.objects.filter(pk=form.instance.pk).update(version=F("version") + 1)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_import": self._can_import(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def _can_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self):
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "importeren/",
                self.admin_site.admin_view(self.import_view),
                name=f"{name}_import",
            ),
            path(
                "exporteren/",
                self.admin_site.admin_view(self.export_view),
                name=f"{name}_export",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self._can_import(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Bibliotheek importeren"),
            "form": ImportForm(),
        }
        if request.method == "POST" and "payload" in request.POST:
            return self._import_confirm(request, context)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                upload = form.cleaned_data["file"]
                # clean_file checked upload.size; read no more than the cap even so, and let
                # library_read refuse what goes over it.
                content = upload.read(MAX_FILE_BYTES + 1)
                try:
                    result = library_load(content=content, filename=upload.name, dry_run=True)
                except LibraryFileError as error:
                    context["errors"] = error.messages
                else:
                    context["result"] = result
                    context["counts"] = [(a.label, len(result.keys(a))) for a in Action]
                    context["filename"] = upload.name
                    context["payload"] = signing.dumps(
                        {"filename": upload.name, "content": content.decode("utf-8-sig")},
                        salt=IMPORT_SALT,
                        compress=True,
                    )
        return TemplateResponse(request, "admin/library/libraryproposal/import.html", context)

    def _import_confirm(self, request, context):
        try:
            upload = signing.loads(
                request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(request, _("De voorvertoning is verlopen of ongeldig; laad opnieuw op."))
            return redirect(self._url("import"))
        try:
            # The same reader and checks as the preview, bounds included: the signature proves
            # the text is what was previewed, not that it still loads.
            result = library_load(content=upload["content"], filename=upload["filename"])
        except LibraryFileError as error:
            # The library or the reference data changed since the preview.
            context["errors"] = error.messages
            return TemplateResponse(request, "admin/library/libraryproposal/import.html", context)
        messages.success(
            request,
            _("%(file)s geïmporteerd — %(summary)s.")
            % {"file": upload["filename"], "summary": result.summary()},
        )
        return redirect(self._url("changelist"))

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            library_export_yaml(), content_type="application/yaml; charset=utf-8"
        )
        filename = f"bibliotheek-{timezone.localdate():%Y-%m-%d}.yaml"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _url(self, view: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bestand"),
        help_text=gettext_lazy("YAML (.yaml, .yml) of JSON (.json), in het formaat van de export."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 1 MB."))
        return upload


@admin.register(Reason)
class ReasonAdmin(admin.ModelAdmin):
    list_display = ["order", "key", "name_nl", "name_en"]
    list_display_links = ["key", "name_nl"]
    search_fields = ["key", "name_nl", "name_en", "description_nl"]
    ordering = ["order"]


@admin.register(PracticeExample)
class PracticeExampleAdmin(admin.ModelAdmin):
    list_display = ["municipality_name", "year", "document_kind", "title", "order"]
    list_filter = ["document_kind", "year"]
    search_fields = ["key", "municipality_name", "title", "summary"]


from . import admin_reference  # noqa: E402,F401
