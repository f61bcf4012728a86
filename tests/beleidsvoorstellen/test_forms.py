import pytest

from apps.beleidsvoorstellen import services
from apps.beleidsvoorstellen.forms import IntroductionForm, OwnProposalForm, ProposalForm
from apps.core.widgets import RichTextarea

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("form_class", "names"),
    [(IntroductionForm, ["introduction"]), (OwnProposalForm, ["text", "justification"])],
)
def test_rich_text_fields_are_edited_with_the_editor(form_class, names):
    form = form_class()
    assert [n for n, f in form.fields.items() if isinstance(f.widget, RichTextarea)] == names


def test_proposal_form_starts_from_the_stored_formatting(memorandum, library_proposal, opsteller):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    proposal.text = "<p>Wij kopen <strong>duurzaam</strong> aan.</p><ul><li>Eerlijk</li></ul>"
    form = ProposalForm(initial=ProposalForm.initial_for(proposal), proposal=proposal)
    assert form.initial["text"] == proposal.text
    assert isinstance(form.fields["text"].widget, RichTextarea)
