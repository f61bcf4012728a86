"""The guide's reference data in the admin: guiding questions, global figures and indicators.

These rows come from ``fixtures/lmb_reference.yaml`` through a data migration. A beheerder may
correct a text here, but adds and deletes rows in that file, so every database gets the same
rows under the same keys.
"""

from django.contrib import admin

from .models import GlobalFigure, GuidingQuestion, IndicatorDefinition, IndicatorReference


class ReadMostly:
    """Texts can be corrected; keys stay, and rows are neither added nor deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["key", *super().get_readonly_fields(request, obj)]


@admin.register(GuidingQuestion)
class GuidingQuestionAdmin(ReadMostly, admin.ModelAdmin):
    list_display = ["document_kind", "order", "topic", "text_nl"]
    list_display_links = ["text_nl"]
    list_filter = ["document_kind", "topic"]
    search_fields = ["key", "topic", "text_nl", "text_en", "help_nl"]
    fields = [
        "key",
        ("document_kind", "topic", "order"),
        "text_nl",
        "text_en",
        "help_nl",
        "help_en",
    ]


@admin.register(GlobalFigure)
class GlobalFigureAdmin(ReadMostly, admin.ModelAdmin):
    list_display = ["order", "figure", "source", "statement_nl"]
    list_display_links = ["figure"]
    list_filter = ["sdg_goals"]
    search_fields = ["key", "figure", "source", "statement_nl", "statement_en"]
    filter_horizontal = ["sdg_goals"]
    fields = [
        "key",
        ("figure", "order"),
        "statement_nl",
        "statement_en",
        ("source", "source_url"),
        "sdg_goals",
    ]


class IndicatorReferenceInline(ReadMostly, admin.TabularInline):
    model = IndicatorReference
    fields = ["key", "order", "label_nl", "label_en", "value", "year", "source"]
    extra = 0


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(ReadMostly, admin.ModelAdmin):
    list_display = ["order", "name_nl", "unit", "value_kind", "computed"]
    list_display_links = ["name_nl"]
    search_fields = ["key", "name_nl", "name_en", "description_nl"]
    fields = [
        "key",
        ("name_nl", "name_en"),
        "description_nl",
        "description_en",
        ("unit", "value_kind", "computed"),
        ("minimum", "maximum", "order"),
    ]
    inlines = [IndicatorReferenceInline]


@admin.register(IndicatorReference)
class IndicatorReferenceAdmin(ReadMostly, admin.ModelAdmin):
    list_display = ["indicator", "order", "label_nl", "value", "year", "source"]
    list_display_links = ["label_nl"]
    list_filter = ["indicator"]
    list_select_related = ["indicator"]
    search_fields = ["key", "label_nl", "label_en", "source"]
    fields = ["key", ("indicator", "order"), "label_nl", "label_en", ("value", "year"), "source"]
