"""The form of visie & missie: it parses and sanitises; services.vision_update writes."""

from django.utils.translation import gettext_lazy as _

from apps.core.richtext import RichTextField, VersionedForm, editable_text


class VisionForm(VersionedForm):
    """Both texts may stay empty; a text that sanitising empties is refused (RichTextField)."""

    vision = RichTextField(label=_("Visie"), required=False, rows=10)
    mission = RichTextField(label=_("Missie"), required=False, rows=10)

    @staticmethod
    def initial_for(vision) -> dict:
        return {
            "vision": editable_text(vision.vision),
            "mission": editable_text(vision.mission),
            "version": vision.version,
        }
