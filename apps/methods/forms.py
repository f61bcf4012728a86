"""Forms of the methods pages. Everything typed is plain text: control characters dropped, a
length limit, and the templates escape it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import ActionArea, AmbitionLevel, DocumentKind, SDGGoal
from apps.core.richtext import PlainTextField, VersionedForm, without_controls
from apps.omgevingsanalyse.models import ActorKind, ActorState, Sphere

from .models import MAX_TEXT, MAX_TITLE, Contribution, CriterionKind, Phase
from .services import MAX_INVITATION_DAYS


class PlainTextareaField(forms.CharField):
    """Several lines of plain text: control characters dropped, line breaks kept."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return without_controls(value).strip() if value else value


class WorksheetForm(forms.Form):
    title = PlainTextField(label=_("Titel"), max_length=MAX_TITLE)
    question = PlainTextareaField(
        label=_("Vraag of thema"),
        required=False,
        help_text=_("Wat de deelnemers bovenaan het werkblad lezen."),
    )
    document_kind = forms.ChoiceField(
        label=_("Voor welk document"),
        choices=[("", _("Nog niet gekozen")), *DocumentKind.choices],
        required=False,
    )


class ContributionForm(forms.Form):
    """The fields of one contribution; only those the worksheet's kind uses are kept."""

    section = forms.ChoiceField(label=_("Onderdeel"))
    sdg = forms.ModelChoiceField(label=_("SDG"), queryset=SDGGoal.objects.all())
    group = forms.ModelChoiceField(label=_("Blad van groep"), queryset=None)
    parent = forms.ModelChoiceField(label=_("Draagt bij aan"), queryset=None, required=False)
    question = forms.TypedChoiceField(label=_("Reflectievraag"), coerce=int)
    action_areas = forms.ModelMultipleChoiceField(
        label=_("Actieterreinen"),
        queryset=ActionArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    text = PlainTextareaField(label=_("Tekst"))
    detail = PlainTextareaField(label=_("Toelichting"), required=False)

    def __init__(self, *args, kind, worksheet, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = kind.sections
        self.fields["text"].label = kind.text_label
        if len(kind.sections) == 1:
            self.fields["section"].widget = forms.HiddenInput()
            self.fields["section"].initial = kind.sections[0][0]
        if kind.uses_group:
            self.fields["group"].queryset = worksheet.groups.all()
            self.fields["group"].empty_label = None  # the first sheet, not an empty choice
        else:
            del self.fields["group"]
        if kind.uses_parent:
            self.fields["parent"].queryset = Contribution.objects.filter(
                worksheet=worksheet, section__in=kind.parent_sections
            )
        else:
            del self.fields["parent"]
        if kind.uses_question:
            self.fields["question"].choices = [
                (index, text) for index, text in enumerate(questions)
            ]
        else:
            del self.fields["question"]
        if not kind.uses_areas:
            del self.fields["action_areas"]
        if not kind.uses_sdg:
            del self.fields["sdg"]
        if kind.detail_label:
            self.fields["detail"].label = kind.detail_label
        else:
            del self.fields["detail"]


class SettingsForm(VersionedForm):
    open_to_members = forms.BooleanField(
        label=_("Schepen en lezers mogen iets toevoegen"), required=False
    )
    phase = forms.ChoiceField(label=_("Fase"))
    round = forms.IntegerField(label=_("Ronde"), min_value=1, max_value=50, initial=1)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [(p, Phase(p).label) for p in kind.phases]
        if not kind.uses_group:
            self.fields["round"].widget = forms.HiddenInput()


class GroupForm(forms.Form):
    name = PlainTextField(label=_("Naam van de groep"), max_length=100)
    question = PlainTextField(
        label=_("Vraag van de groep"),
        max_length=MAX_TITLE,
        required=False,
        help_text=_("Nodig voor brainwriting; bij een trend van de GPS-brainstorm niet."),
    )


class InvitationForm(forms.Form):
    guest_name = PlainTextField(
        label=_("Naam van de gast"),
        max_length=100,
        help_text=_("Zo staat de gast bij zijn of haar bijdragen, met de vermelding 'gast'."),
    )
    days = forms.IntegerField(
        label=_("Geldig (dagen)"), min_value=1, max_value=MAX_INVITATION_DAYS, initial=14
    )


class CriterionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=CriterionKind.choices)
    text = PlainTextField(label=_("Criterium"), max_length=MAX_TITLE)
    weight = forms.IntegerField(
        label=_("Gewicht (voor een wens)"), min_value=1, max_value=5, initial=1
    )


class ScoreForm(forms.Form):
    """One idea's scores on every criterion of the grid."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            if criterion.kind == CriterionKind.MUST:
                choices = [("", "–"), (1, _("voldoet")), (0, _("voldoet niet"))]
            else:
                choices = [("", "–"), *[(n, str(n)) for n in range(4)]]
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.text, choices=choices, coerce=int, required=False, empty_value=None
            )


class EvaluationForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput, max_length=40)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    text = PlainTextareaField(
        label=_("Samengevatte evaluatie"), required=False, max_length=10 * MAX_TEXT
    )


class ProposalForm(forms.Form):
    action_area = forms.ModelChoiceField(label=_("Actieterrein"), queryset=ActionArea.objects.all())
    level = forms.ModelChoiceField(label=_("Ambitieniveau"), queryset=AmbitionLevel.objects.all())


class ProjectSheetForm(VersionedForm):
    description = PlainTextareaField(label=_("Korte beschrijving"), required=False)
    advantages = PlainTextareaField(label=_("Voordelen"), required=False)
    pitfalls = PlainTextareaField(label=_("Valkuilen en mogelijke oplossingen"), required=False)
    needs = PlainTextareaField(label=_("Wat en wie is er nodig"), required=False)


class ActionForm(forms.Form):
    """The action plan of the municipality's meerjarenplan that gets the new action."""

    action_plan = forms.ModelChoiceField(label=_("Actieplan"), queryset=None)

    def __init__(self, *args, worksheet, **kwargs):
        from apps.meerjarenplan.models import ActionPlan

        super().__init__(*args, **kwargs)
        self.fields["action_plan"].queryset = ActionPlan.objects.filter(
            plan__municipality=worksheet.municipality_id,
            plan__legislature=worksheet.legislature_id,
        ).order_by("goal__order", "order", "pk")


class ActorTransferForm(forms.Form):
    """What the omgevingsanalyse's actor needs and the note does not say."""

    kind = forms.ChoiceField(label=_("Soort actor"), choices=ActorKind.choices)
    sphere = forms.ChoiceField(label=_("Invloedssfeer"), choices=Sphere.choices)
    state = forms.ChoiceField(label=_("Stand van zaken"), choices=ActorState.choices)


class ContributionEditForm(VersionedForm):
    text = PlainTextareaField(label=_("Tekst"))
    detail = PlainTextareaField(label=_("Toelichting"), required=False)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = kind.text_label
        if kind.detail_label:
            self.fields["detail"].label = kind.detail_label
        else:
            del self.fields["detail"]
