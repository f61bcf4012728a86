"""Forms parse and validate input only; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import ActionArea, AmbitionLevel, SDGGoal
from apps.core.richtext import PlainTextField, RichTextField, VersionedForm, editable_text
from apps.library import fillin
from apps.library.models import Reason

from .models import MemorandumSubOption, Priority


class SDGChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"SDG {obj.number} — {obj.name}"


class SDGFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"SDG {obj.number} — {obj.name}"


class ReasonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class IntroductionForm(VersionedForm):
    introduction = RichTextField(label=_("Inleiding"), required=False, rows=10)


class ProposalFieldsMixin(forms.Form):
    title = PlainTextField(label=_("Titel"), max_length=200)
    text = RichTextField(label=_("Tekst van het voorstel"), rows=8)
    justification = RichTextField(
        label=_("Motivering"),
        required=False,
        rows=5,
        help_text=_("Waarom stelt de administratie dit voor? Argumenteer met de redenen."),
    )
    reasons = ReasonChoiceField(
        label=_("Redenen voor lokaal mondiaal beleid"),
        queryset=Reason.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.ChoiceField(
        label=_("Prioriteit"),
        choices=Priority.choices,
        initial=Priority.NORMAAL,
        widget=forms.RadioSelect,
    )
    sdg_goals = SDGChoiceField(
        label=_("SDG's"),
        queryset=SDGGoal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def proposal_data(self) -> dict:
        """The cleaned fields, as keyword arguments for the proposal services."""
        names = ("title", "text", "justification", "reasons", "priority", "sdg_goals")
        return {name: self.cleaned_data[name] for name in names}


class ProposalForm(VersionedForm, ProposalFieldsMixin):
    ticked_sub_options = forms.ModelMultipleChoiceField(
        label=_("Subopties"),
        queryset=MemorandumSubOption.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vink aan wat de gemeente uit dit voorstel overneemt."),
    )

    FILL_IN_PREFIX = "invulveld_"

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        if proposal.sub_options.all():
            field = self.fields["ticked_sub_options"]
            field.queryset = proposal.sub_options.order_by("order", "pk")
            field.label_from_instance = lambda option: option.text
        else:
            del self.fields["ticked_sub_options"]
        # The fill-in fields follow the sub-options they belong to; the library's suggestion
        # is the placeholder, so nothing is filled in (and printed) unless typed.
        options = {option.pk: option for option in proposal.sub_options.all()}
        self.fill_in = list(proposal.fields.all())
        for item in self.fill_in:
            option = options.get(item.sub_option_id)
            notes = [item.help] if item.help else []
            if option is not None:
                notes.insert(
                    0,
                    _("Bij de keuze “%(option)s”: alleen afgedrukt als die aangevinkt is.")
                    % {"option": option.text},
                )
            self.fields[f"{self.FILL_IN_PREFIX}{item.pk}"] = fillin.form_field(
                item.kind,
                label=item.label,
                placeholder=item.placeholder,
                help_text=" ".join(str(note) for note in notes),
            )

    def field_values(self) -> dict[int, str]:
        """The fill-in values to store, by field id."""
        return {
            item.pk: fillin.stored(
                item.kind, self.cleaned_data.get(f"{self.FILL_IN_PREFIX}{item.pk}")
            )
            for item in self.fill_in
        }

    @classmethod
    def initial_for(cls, proposal) -> dict:
        return {
            "title": proposal.title,
            "text": editable_text(proposal.text),
            "justification": editable_text(proposal.justification),
            "reasons": list(proposal.reasons.all()),
            "priority": proposal.priority,
            "sdg_goals": list(proposal.sdg_goals.all()),
            "ticked_sub_options": [o.pk for o in proposal.sub_options.all() if o.ticked],
            "version": proposal.version,
            **{
                f"{cls.FILL_IN_PREFIX}{item.pk}": fillin.initial(item.kind, item.value)
                for item in proposal.fields.all()
            },
        }


class OwnProposalForm(ProposalFieldsMixin):
    action_area = forms.ModelChoiceField(
        label=_("Actieterrein"), queryset=ActionArea.objects.order_by("order"), empty_label=None
    )
    level = forms.ModelChoiceField(
        label=_("Ambitieniveau"),
        queryset=AmbitionLevel.objects.order_by("order"),
        empty_label=None,
    )
    field_order = ["action_area", "level", "title", "text", "justification"]


class LibraryFilterForm(forms.Form):
    """Filters by code and number, so a filtered address reads ?action_area=BU&sdg=4."""

    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    action_area = forms.ModelChoiceField(
        label=_("Actieterrein"),
        queryset=ActionArea.objects.order_by("order"),
        to_field_name="code",
        required=False,
        empty_label=_("Alle actieterreinen"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    level = forms.ModelChoiceField(
        label=_("Ambitieniveau"),
        queryset=AmbitionLevel.objects.order_by("order"),
        to_field_name="code",
        required=False,
        empty_label=_("Alle niveaus"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    sdg = SDGFilterField(
        label=_("SDG"),
        queryset=SDGGoal.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label=_("Alle SDG's"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", _("omhoog")), ("down", _("omlaag"))],
        error_messages={
            "required": _("Er is niet gezegd of het voorstel omhoog of omlaag moet."),
            "invalid_choice": _("Een voorstel kan alleen omhoog of omlaag."),
        },
    )


class LibraryChangeForm(VersionedForm):
    action = forms.ChoiceField(
        choices=[("overnemen", _("overnemen")), ("behouden", _("behouden"))],
        error_messages={
            "required": _("Kies: de nieuwe bibliotheektekst overnemen of de eigen tekst behouden."),
            "invalid_choice": _(
                "Kies: de nieuwe bibliotheektekst overnemen of de eigen tekst behouden."
            ),
        },
    )
