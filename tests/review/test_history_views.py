"""The history pages in the browser's place: the document's timeline (edits, transitions,
comments), a part's versions compared word by word, and "Deze versie herstellen". Every
member reads; only the opsteller of a concept restores; another municipality's document and an
unknown part are 404; junk in the request is a message, never a 500; the pages run as many
queries for 30 versions as for 3."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.beleidsvoorstellen import services as memorandum_services
from apps.core.models import Legislature
from apps.meerjarenplan import services as plan_services
from apps.review import views_history
from apps.review.services import thread_start, transition
from tests.meerjarenplan.conftest import build

pytestmark = pytest.mark.django_db

RESTORE_BUTTON = "Deze versie herstellen"


def timeline_url(municipality, document, kind="memorandum"):
    return reverse("review:timeline", args=[municipality.nis_code, kind, document.pk])


def versions_url(municipality, document, part_key, kind="memorandum"):
    return reverse("review:versions", args=[municipality.nis_code, kind, document.pk, part_key])


def restore_url(municipality, document, part_key, kind="memorandum"):
    return reverse("review:restore", args=[municipality.nis_code, kind, document.pk, part_key])


def update(proposal, by, *, title=None, text=None, justification=""):
    return memorandum_services.proposal_update(
        proposal=proposal,
        title=title or proposal.title,
        text=text or proposal.text,
        justification=justification,
        reasons=[],
        priority=proposal.priority,
        ticked_sub_option_ids=[],
        expected_version=proposal.version,
        by=by,
    )


@pytest.fixture
def rewritten(adopted, opsteller):
    """Version 2 of the adopted proposal: one word of its text replaced, one added."""
    return update(
        adopted,
        opsteller,
        title="Eerlijke overheidsopdrachten",
        text="<p>De gemeente koopt sociaal en eerlijk aan, elk jaar.</p>",
    )


@pytest.fixture
def key(adopted):
    return f"proposal-{adopted.pk}"


def body(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    """The page's text without tags, its white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body(response))).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def first_version(proposal):
    return proposal.history.earliest("history_date")


# --- the timeline ----------------------------------------------------------------------------


def test_timeline_shows_an_edit_a_transition_and_a_comment(
    client, municipality, memorandum, adopted, rewritten, key, opsteller, schepen
):
    transition(document=memorandum, action="submit", message="Klaar voor nazicht", by=opsteller)
    thread = thread_start(
        document=memorandum,
        part_key=key,
        text="Kan dit ook met een cijfer over de aankopen van vorig jaar erbij?",
        by=schepen,
    )
    client.force_login(schepen)

    response = client.get(timeline_url(municipality, memorandum))

    assert response.status_code == 200
    text = text_of(response)
    who = opsteller.get_full_name()
    assert f"{who} wijzigde beleidsvoorstel ‘Eerlijke overheidsopdrachten’ (versie 2)" in text
    assert f"{who} maakte beleidsvoorstel ‘Duurzame overheidsopdrachten’ aan" in text
    assert f"{who}: Ingediend ter review (van ‘Concept’ naar ‘Ter review’)" in text
    assert "Klaar voor nazicht" in text
    assert (
        f"{schepen.get_full_name()} schreef een opmerking bij ‘Eerlijke overheidsopdrachten’"
    ) in text
    assert "Kan dit ook met een cijfer" in text
    comments = reverse("review:comments", args=[municipality.nis_code, "memorandum", memorandum.pk])
    assert f'href="{comments}#thread-{thread.pk}"' in body(response)
    assert f'href="{versions_url(municipality, memorandum, key)}"' in body(response)
    # Newest first: the comment, then the submission, then the edits.
    assert text.index("schreef een opmerking") < text.index("Ingediend") < text.index("wijzigde")


def test_timeline_of_a_deleted_part_has_no_versions_link(
    client, municipality, memorandum, adopted, key, opsteller
):
    memorandum_services.proposal_delete(proposal=adopted, by=opsteller)
    client.force_login(opsteller)

    response = client.get(timeline_url(municipality, memorandum))

    assert "verwijderde beleidsvoorstel ‘Duurzame overheidsopdrachten’" in text_of(response)
    assert f"/versies/{key}/" not in body(response)


def test_timeline_says_when_it_shows_only_the_latest_events(
    client, monkeypatch, municipality, memorandum, adopted, opsteller
):
    proposal = adopted
    for n in range(4):
        proposal = update(proposal, opsteller, title=f"Titel {n}")
    monkeypatch.setattr(views_history, "TIMELINE_LIMIT", 3)
    client.force_login(opsteller)

    response = client.get(timeline_url(municipality, memorandum))

    assert response.context["truncated"] is True
    assert len(response.context["events"]) == 3
    assert "Hieronder staan de laatste 3 gebeurtenissen" in text_of(response)


def test_timeline_without_truncation_has_no_note(client, municipality, memorandum, opsteller):
    client.force_login(opsteller)

    response = client.get(timeline_url(municipality, memorandum))

    assert response.context["truncated"] is False
    assert "Hieronder staan de laatste" not in text_of(response)


def test_timeline_runs_as_many_queries_for_30_edits_as_for_3(
    client, municipality, memorandum, adopted, opsteller, schepen, library_proposal
):
    client.force_login(opsteller)
    thread_start(document=memorandum, text="Een opmerking", by=schepen)
    transition(document=memorandum, action="submit", by=opsteller)
    transition(document=memorandum, action="withdraw", by=opsteller)
    proposal = adopted
    for n in range(3):
        proposal = update(proposal, opsteller, title=f"Titel {n}")
    with CaptureQueriesContext(connection) as few:
        assert client.get(timeline_url(municipality, memorandum)).status_code == 200
    for n in range(27):
        proposal = update(proposal, opsteller, title=f"Andere titel {n}")
    memorandum_services.proposal_create_own(
        memorandum=memorandum,
        action_area=library_proposal.action_area,
        level=library_proposal.level,
        title="Een eigen voorstel",
        text="<p>Tekst</p>",
        by=opsteller,
    )
    transition(document=memorandum, action="submit", by=opsteller)
    thread_start(document=memorandum, text="Nog een opmerking", by=schepen)
    with CaptureQueriesContext(connection) as many:
        response = client.get(timeline_url(municipality, memorandum))

    assert len(response.context["events"]) >= 34
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.parametrize("role", ["opsteller", "schepen", "lezer"])
def test_every_member_reads_the_history(
    request, client, role, municipality, memorandum, rewritten, key
):
    client.force_login(request.getfixturevalue(role))

    assert client.get(timeline_url(municipality, memorandum)).status_code == 200
    assert client.get(versions_url(municipality, memorandum, key)).status_code == 200


def test_another_municipality_sees_nothing(
    client, municipality, memorandum, adopted, key, outsider
):
    client.force_login(outsider)

    assert client.get(timeline_url(municipality, memorandum)).status_code == 404
    assert client.get(versions_url(municipality, memorandum, key)).status_code == 404
    post = client.post(
        restore_url(municipality, memorandum, key),
        {"history_id": first_version(adopted).history_id, "expected_version": adopted.version},
    )
    assert post.status_code == 404
    # Nor by naming its own municipality with the other's document.
    own = outsider.memberships.get().municipality
    assert client.get(timeline_url(own, memorandum)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, municipality, memorandum):
    response = client.get(timeline_url(municipality, memorandum))

    assert response.status_code == 302
    assert "/account/aanmelden/" in response["Location"]


def test_unknown_kind_and_unknown_part_are_404(client, municipality, memorandum, opsteller):
    client.force_login(opsteller)

    assert client.get(timeline_url(municipality, memorandum, kind="begroting")).status_code == 404
    assert client.get(versions_url(municipality, memorandum, "proposal-999999")).status_code == 404
    assert client.get(versions_url(municipality, memorandum, "onbekend")).status_code == 404
    response = client.post(
        restore_url(municipality, memorandum, "proposal-999999"),
        {"history_id": 1, "expected_version": 1},
    )
    assert response.status_code == 404


# --- the versions and their comparison -------------------------------------------------------


def test_versions_compare_the_last_two_by_default_word_by_word(
    client, municipality, memorandum, adopted, rewritten, key, opsteller
):
    client.force_login(opsteller)

    response = client.get(versions_url(municipality, memorandum, key))

    assert response.status_code == 200
    assert response.context["old"].version == 1
    assert response.context["new"].version == 2
    page = body(response)
    assert '<del><span class="visually-hidden">verwijderd: </span>duurzaam</del>' in page
    assert '<ins><span class="visually-hidden">toegevoegd: </span>sociaal</ins>' in page
    assert '<ins><span class="visually-hidden">toegevoegd: </span>aan, elk jaar.</ins>' in page
    assert '<del><span class="visually-hidden">verwijderd: </span>aan.</del>' in page
    assert '<del><span class="visually-hidden">verwijderd: </span>Duurzame</del>' in page
    assert '<ins><span class="visually-hidden">toegevoegd: </span>Eerlijke</ins>' in page
    text = text_of(response)
    assert "Legende: onderlijnd: toegevoegd · doorgestreept: verwijderd" in text
    assert "Van versie 1" in text and "naar versie 2" in text
    # The justification did not change; it says so rather than marking anything.
    assert "Motivering Ongewijzigd." in text
    assert "css/history.css" in page


def test_versions_compare_the_chosen_pair_in_time_order(
    client, municipality, memorandum, adopted, rewritten, key, opsteller
):
    third = update(rewritten, opsteller, text="<p>Alles anders.</p>")
    records = {r.version: r.history_id for r in third.history.all()}
    client.force_login(opsteller)

    # Chosen the wrong way round: still shown from the older to the newer.
    response = client.get(
        versions_url(municipality, memorandum, key), {"a": records[3], "b": records[1]}
    )

    assert (response.context["old"].version, response.context["new"].version) == (1, 3)
    assert '<ins><span class="visually-hidden">toegevoegd: </span>Alles anders.</ins>' in body(
        response
    )
    assert re.search(rf'<option value="{records[1]}"\s+selected>', body(response))


@pytest.mark.parametrize(
    "junk", ["abc", "-1", "1.5", "99999999999999999999999999", "٣", "other-part"]
)
def test_junk_version_choices_get_a_message_and_the_default_comparison(
    client, junk, municipality, memorandum, adopted, rewritten, key, opsteller
):
    if junk == "other-part":
        junk = str(memorandum.history.earliest("history_date").history_id)
    client.force_login(opsteller)

    response = client.get(versions_url(municipality, memorandum, key), {"a": junk, "b": junk})

    assert response.status_code == 200
    assert response.context["bad_choice"] is True
    assert (response.context["old"].version, response.context["new"].version) == (1, 2)
    assert "Die versie hoort niet bij dit onderdeel of bestaat niet" in text_of(response)


def test_a_single_version_has_nothing_to_compare(
    client, municipality, memorandum, adopted, key, opsteller
):
    client.force_login(opsteller)

    response = client.get(versions_url(municipality, memorandum, key))

    text = text_of(response)
    assert "Er is nog maar één versie van dit onderdeel" in text
    assert "De gemeente koopt duurzaam en eerlijk aan." in text
    assert "<ins>" not in body(response).split("Alle versies")[0].split("Legende")[-1]
    assert RESTORE_BUTTON not in text


def test_the_opsteller_gets_a_restore_button_for_every_older_version(
    client, municipality, memorandum, adopted, rewritten, key, opsteller
):
    client.force_login(opsteller)

    response = client.get(versions_url(municipality, memorandum, key))

    page = body(response)
    assert page.count(RESTORE_BUTTON) == 1  # not for the current text itself
    assert f'name="history_id" value="{first_version(adopted).history_id}"' in page
    assert f'name="expected_version" value="{rewritten.version}"' in page
    assert f'action="{restore_url(municipality, memorandum, key)}"' in page
    assert "Herstellen maakt van de gekozen versie een nieuwe versie" in text_of(response)


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_schepen_and_lezer_get_no_restore_button(
    request, client, role, municipality, memorandum, rewritten, key
):
    client.force_login(request.getfixturevalue(role))

    response = client.get(versions_url(municipality, memorandum, key))

    assert RESTORE_BUTTON not in body(response)


def test_no_restore_button_while_the_document_is_under_review(
    client, municipality, memorandum, rewritten, key, opsteller
):
    transition(document=memorandum, action="submit", by=opsteller)
    client.force_login(opsteller)

    response = client.get(versions_url(municipality, memorandum, key))

    assert RESTORE_BUTTON not in body(response)
    assert "Een versie herstellen kan nu niet" in text_of(response)


def test_versions_page_runs_as_many_queries_for_30_versions_as_for_3(
    client, municipality, memorandum, adopted, key, opsteller
):
    client.force_login(opsteller)
    proposal = adopted
    for n in range(2):
        proposal = update(proposal, opsteller, text=f"<p>Tekst {n}</p>")
    with CaptureQueriesContext(connection) as few:
        response = client.get(versions_url(municipality, memorandum, key))
    assert len(response.context["records"]) == 3
    for n in range(27):
        proposal = update(proposal, opsteller, text=f"<p>Andere tekst {n}</p>")
    with CaptureQueriesContext(connection) as many:
        response = client.get(versions_url(municipality, memorandum, key))

    assert len(response.context["records"]) == 30
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_versions_of_an_action_in_the_meerjarenplan(client, municipality, opsteller):
    plan = plan_services.plan_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )
    _goals, _plans, (action,) = build(plan, opsteller, [[1]])
    plan_services.item_update(
        item=action,
        title="Fairtrade op elke receptie",
        description="<p>Ook op de nieuwjaarsreceptie.</p>",
        responsible_service="Protocol",
        sdg_goals=[],
        sdg_targets=[],
        proposals=[],
        expected_version=action.version,
        by=opsteller,
    )
    client.force_login(opsteller)

    response = client.get(versions_url(municipality, plan, f"action-{action.pk}", "meerjarenplan"))

    assert response.status_code == 200
    text = text_of(response)
    assert "Korte omschrijving" in text and "Verantwoordelijke dienst" in text
    assert "toegevoegd: Protocol" in text


# --- restore ---------------------------------------------------------------------------------


def test_restore_brings_the_version_back_as_a_new_one(
    client, municipality, memorandum, adopted, rewritten, key, opsteller
):
    first = first_version(adopted)
    client.force_login(opsteller)

    response = client.post(
        restore_url(municipality, memorandum, key),
        {"history_id": first.history_id, "expected_version": rewritten.version},
        follow=True,
    )

    assert response.redirect_chain == [(versions_url(municipality, memorandum, key), 302)]
    adopted.refresh_from_db()
    assert adopted.title == "Duurzame overheidsopdrachten"
    assert adopted.text == "<p>De gemeente koopt duurzaam en eerlijk aan.</p>"
    assert adopted.version == rewritten.version + 1
    assert re.search(
        r"Versie van \d+ \w+ \d{4} \d\d:\d\d hersteld als nieuwe versie\.", text_of(response)
    )
    # The text it replaced is still there, the newest version is the restored one.
    assert [r.version for r in response.context["records"]] == [3, 2, 1]
    assert response.context["records"][1].title == "Eerlijke overheidsopdrachten"


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_schepen_and_lezer_cannot_restore(
    request, client, role, municipality, memorandum, adopted, rewritten, key
):
    client.force_login(request.getfixturevalue(role))

    response = client.post(
        restore_url(municipality, memorandum, key),
        {"history_id": first_version(adopted).history_id, "expected_version": rewritten.version},
    )

    assert response.status_code == 403
    adopted.refresh_from_db()
    assert adopted.version == rewritten.version


def test_restore_under_review_says_why_and_changes_nothing(
    client, municipality, memorandum, adopted, rewritten, key, opsteller
):
    transition(document=memorandum, action="submit", by=opsteller)
    client.force_login(opsteller)

    response = client.post(
        restore_url(municipality, memorandum, key),
        {"history_id": first_version(adopted).history_id, "expected_version": rewritten.version},
        follow=True,
    )

    assert response.status_code == 200
    assert "Dit document is ter review bij de schepen" in text_of(response)
    adopted.refresh_from_db()
    assert adopted.version == rewritten.version


def test_restore_after_someone_else_saved_says_so(
    client, municipality, memorandum, adopted, rewritten, key, opsteller
):
    client.force_login(opsteller)
    form = {"history_id": first_version(adopted).history_id, "expected_version": rewritten.version}
    update(rewritten, opsteller, text="<p>Intussen door een collega.</p>")

    response = client.post(restore_url(municipality, memorandum, key), form, follow=True)

    assert response.status_code == 200
    assert "Iemand heeft dit onderdeel intussen gewijzigd" in text_of(response)
    adopted.refresh_from_db()
    assert adopted.text == "<p>Intussen door een collega.</p>"


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"history_id": "abc", "expected_version": "2"},
        {"history_id": "", "expected_version": "2"},
        {"history_id": "1", "expected_version": "twee"},
        {"history_id": "99999999999999999999999999", "expected_version": "2"},
        {"history_id": "-5", "expected_version": "2"},
    ],
)
def test_restore_with_junk_ids_is_a_message_not_a_500(
    client, form, municipality, memorandum, rewritten, key, opsteller
):
    client.force_login(opsteller)

    response = client.post(restore_url(municipality, memorandum, key), form)

    assert response.status_code == 400
    assert "Kies een versie uit de lijst om te herstellen" in text_of(response)
    rewritten.refresh_from_db()
    assert rewritten.version == 2


def test_restore_of_another_parts_version_is_refused(
    client, municipality, memorandum, rewritten, key, opsteller
):
    client.force_login(opsteller)
    foreign = memorandum.history.earliest("history_date").history_id

    response = client.post(
        restore_url(municipality, memorandum, key),
        {"history_id": foreign, "expected_version": rewritten.version},
        follow=True,
    )

    assert "Die versie bestaat niet (meer)." in text_of(response)
    rewritten.refresh_from_db()
    assert rewritten.version == 2


def test_restore_answers_only_post(client, municipality, memorandum, key, opsteller, adopted):
    client.force_login(opsteller)

    assert client.get(restore_url(municipality, memorandum, key)).status_code == 405


def test_restore_of_the_document_part_through_the_page(client, municipality, memorandum, opsteller):
    changed = memorandum_services.memorandum_update_introduction(
        memorandum=memorandum,
        introduction="<p>Een inleiding die we niet willen houden.</p>",
        expected_version=memorandum.version,
        by=opsteller,
    )
    client.force_login(opsteller)

    response = client.post(
        restore_url(municipality, memorandum, "document"),
        {
            "history_id": memorandum.history.earliest("history_date").history_id,
            "expected_version": changed.version,
        },
    )

    assert response.status_code == 302
    memorandum.refresh_from_db()
    assert memorandum.introduction == ""
    assert memorandum.version == changed.version + 1
