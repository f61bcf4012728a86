"""The omgevingsanalyse's indicators, SWOT and actors in the browser's place: values per year
typed the Belgian way and shown as a chart with its table, the budget share computed from the
key figures, bounds and bad numbers refused with a message naming the year, stale saves kept
for the user, the SWOT per quadrant, the actors and their map, who may write (403) and who may
not even see (404), and an analysis page whose number of queries does not grow."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.figures import year_figures_save
from apps.core.models import ActionArea, Legislature, SDGGoal
from apps.omgevingsanalyse import services
from apps.omgevingsanalyse.models import (
    Actor,
    Indicator,
    IndicatorValue,
    Quadrant,
    Structure,
    SwotItem,
)

pytestmark = pytest.mark.django_db

STALE = "Iemand anders heeft dit intussen gewijzigd"


def url(name, municipality, *args):
    return reverse(f"omgevingsanalyse:{name}", args=[municipality.nis_code, *args])


def sdg(number):
    return SDGGoal.objects.get(number=number)


def area(code):
    return ActionArea.objects.get(code=code)


def checked(html, name, value=None):
    """Whether the page's input ``name`` (with ``value``, for a radio button) is checked."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag):
            return re.search(r"\schecked[\s>]", tag) is not None
    raise AssertionError(f"no input {name} {value or ''}")


def guide_indicator(analysis, key):
    return analysis.indicators.select_related("definition").get(definition__key=key)


def _values_form(indicator, values=None, targets=(), **changes):
    """The edit form as the browser posts it: every year's input, empty where not typed."""
    data = {
        "source": indicator.source,
        "note": indicator.note,
        "version": indicator.version,
    }
    if indicator.definition_id is None:
        data.update(name=indicator.name, unit=indicator.unit)
    for year in range(2019, 2032):
        data[f"value_{year}"] = (values or {}).get(year, "")
        if year in targets:
            data[f"target_{year}"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def own_indicator(analysis, opsteller):
    return services.indicator_create(
        analysis=analysis, name="Scholen met een schoolband", unit="aantal", by=opsteller
    )


@pytest.fixture
def swot_item(analysis, opsteller):
    return services.swot_item_save(
        analysis=analysis,
        item=None,
        quadrant=Quadrant.STRENGTH,
        text="Een actieve mondiale adviesraad",
        sdg=sdg(17),
        action_area=area("SW"),
        by=opsteller,
    )


@pytest.fixture
def actor(analysis, opsteller):
    return services.actor_save(
        analysis=analysis,
        actor=None,
        name="Wereldwinkel Teststad",
        kind="ngo",
        sphere="invloed",
        state="loopt",
        action_areas=[area("BU"), area("SW")],
        notes="Verkoopt fairtrade en doet sensibilisering.",
        by=opsteller,
    )


# --- indicators ------------------------------------------------------------------------------


def test_typed_values_are_saved_and_shown_as_chart_and_table(
    client, opsteller, municipality, analysis
):
    fte = guide_indicator(analysis, "lmb-vte")
    client.force_login(opsteller)
    page = client.get(url("indicator_edit", municipality, fte.pk))
    assert page.status_code == 200
    content = page.text
    assert 'name="value_2019"' in content and 'name="value_2031"' in content
    # Years of the plan period are targets unless the opsteller says otherwise.
    assert checked(content, "target_2026") and checked(content, "target_2031")
    assert not checked(content, "target_2025")

    response = client.post(
        url("indicator_edit", municipality, fte.pk),
        _values_form(
            fte,
            {2022: "0,25", 2024: "0,3", 2031: "1"},
            targets=[2031],
            source="Personeelsdienst",
        ),
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#indicator-{fte.pk}")
    stored = {v.year: (v.value, v.is_target) for v in fte.values.all()}
    assert stored == {
        2022: (Decimal("0.25"), False),
        2024: (Decimal("0.30"), False),
        2031: (Decimal("1.00"), True),
    }

    content = client.get(url("analysis", municipality)).text
    section = content[content.index(f'id="indicator-{fte.pk}"') :]
    section = section[: section.index("</article>")]
    assert "<svg" in section
    for year in (2019, 2025, 2031):  # the axis runs from the previous period to 2031
        assert f">{year}</text>" in section
    assert '<th scope="row">2022</th>' in section
    assert "0,25" in section and "0,30" in section
    assert "streefwaarde" in section
    assert "De helft van de gemeenten: hoogstens 0,25 VTE" in section  # the guide's reference
    assert "Personeelsdienst" in section


def test_computed_budget_share_follows_the_key_figures(client, opsteller, municipality, analysis):
    """Changing the total municipal budget for 2025 changes the LMB budget share shown in the
    omgevingsanalyse."""
    share = guide_indicator(analysis, "lmb-budgetaandeel")
    client.force_login(opsteller)
    row = {"year": 2025, "lmb_budget": Decimal("40000"), "inhabitants": 20000}
    year_figures_save(
        municipality=municipality,
        rows=[{**row, "total_budget": Decimal("20000000"), "version": 0}],
        by=opsteller,
    )

    def shown():
        content = client.get(url("analysis", municipality)).text
        section = content[content.index(f'id="indicator-{share.pk}"') :]
        section = section[: section.index("</article>")]
        return section[section.index('<th scope="row">2025</th>') :].split("</tr>")[0]

    assert "0,20" in shown()
    assert "€ 2,00" in shown()  # per inhabitant
    year_figures_save(
        municipality=municipality,
        rows=[{**row, "total_budget": Decimal("10000000"), "version": 1}],
        by=opsteller,
    )
    assert "0,40" in shown()

    # Nobody types the share: its edit page has no value inputs and sends to the key figures.
    content = client.get(url("indicator_edit", municipality, share.pk)).text
    assert 'name="value_2025"' not in content
    assert reverse("core:figures", args=[municipality.nis_code]) in content
    response = client.post(
        url("indicator_edit", municipality, share.pk),
        {"source": "Jaarrekening", "note": "", "version": share.version, "value_2025": "9"},
    )
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.source == "Jaarrekening"
    assert not share.values.exists()


def test_page_links_the_computed_indicator_to_the_key_figures(
    client, lezer, municipality, analysis
):
    client.force_login(lezer)
    content = client.get(url("analysis", municipality)).text
    assert reverse("core:figures", args=[municipality.nis_code]) in content
    assert "Berekend uit de kerncijfers" in content
    assert "Waarden bewerken" not in content and "+ eigen indicator" not in content


def test_fair_o_meter_above_100_is_refused_with_the_year(client, opsteller, municipality, analysis):
    score = guide_indicator(analysis, "fair-o-meter")
    client.force_login(opsteller)
    response = client.post(
        url("indicator_edit", municipality, score.pk),
        _values_form(score, {2023: "72", 2027: "120"}),
    )
    assert response.status_code == 200
    assert "2027: de waarde kan niet hoger zijn dan 100." in response.text
    assert 'value="120"' in response.text and 'value="72"' in response.text  # kept as typed
    assert not score.values.exists()


@pytest.mark.parametrize("typed", ["twaalf", "1,2,3", "0,255", "12e3", "1.2.3,4"])
def test_bad_numbers_are_refused_with_the_year(
    client, opsteller, municipality, own_indicator, typed
):
    client.force_login(opsteller)
    response = client.post(
        url("indicator_edit", municipality, own_indicator.pk),
        _values_form(own_indicator, {2024: typed}),
    )
    assert response.status_code == 200
    assert "2024: " in response.text
    assert not own_indicator.values.exists()


def test_own_indicator_is_created_then_edited_and_deleted(
    client, opsteller, municipality, analysis
):
    client.force_login(opsteller)
    assert client.get(url("indicator_create", municipality)).status_code == 200
    response = client.post(
        url("indicator_create", municipality),
        {"name": "  Scholen\tmet een schoolband ", "unit": "aantal", "source": "", "note": ""},
    )
    indicator = Indicator.objects.get(analysis=analysis, definition=None)
    assert response.url == url("indicator_edit", municipality, indicator.pk)
    assert indicator.name == "Scholen met een schoolband"

    response = client.post(
        url("indicator_edit", municipality, indicator.pk),
        _values_form(indicator, {2020: "3", 2030: "8"}, targets=[2030], name="Schoolbanden"),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Schoolbanden"
    assert indicator.values.count() == 2

    page = client.get(url("indicator_delete", municipality, indicator.pk))
    assert page.status_code == 200 and "Schoolbanden" in page.text
    response = client.post(url("indicator_delete", municipality, indicator.pk))
    assert response.url.endswith("#indicatoren")
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert not IndicatorValue.objects.filter(indicator_id=indicator.pk).exists()


def test_own_indicator_with_a_fraction_shows_it(client, opsteller, municipality, own_indicator):
    client.force_login(opsteller)
    client.post(
        url("indicator_edit", municipality, own_indicator.pk),
        _values_form(own_indicator, {2024: "2,5"}),
    )
    content = client.get(url("analysis", municipality)).text
    section = content[content.index(f'id="indicator-{own_indicator.pk}"') :]
    assert ">2,50</td>" in section[: section.index("</article>")]


def test_guide_indicator_keeps_its_name_and_cannot_be_deleted(
    client, opsteller, municipality, analysis
):
    fte = guide_indicator(analysis, "lmb-vte")
    client.force_login(opsteller)
    content = client.get(url("indicator_edit", municipality, fte.pk)).text
    assert 'name="name"' not in content
    client.post(url("indicator_edit", municipality, fte.pk), _values_form(fte, name="Gekaapt"))
    fte.refresh_from_db()
    assert fte.name == "Personeelsinzet voor lokaal mondiaal beleid"
    response = client.post(url("indicator_delete", municipality, fte.pk))
    assert response.status_code == 400
    assert "uit de gids kan je niet verwijderen" in response.text
    assert Indicator.objects.filter(pk=fte.pk).exists()


def test_stale_indicator_edit_is_409_keeping_the_typed_values(
    client, opsteller, municipality, analysis
):
    fte = guide_indicator(analysis, "lmb-vte")
    loaded = _values_form(fte, {2023: "0,4", 2024: "0,45"}, note="Mijn toelichting")
    services.indicator_update(
        indicator=fte,
        name=fte.name,
        unit=fte.unit,
        source="Collega",
        note="Toelichting van een collega",
        values={2023: (Decimal("0.1"), False)},
        expected_version=fte.version,
        by=opsteller,
    )
    client.force_login(opsteller)

    response = client.post(url("indicator_edit", municipality, fte.pk), loaded)

    assert response.status_code == 409
    content = response.text
    assert STALE in content
    assert 'value="0,4"' in content and 'value="0,45"' in content  # the typed values
    assert "Mijn toelichting" in content
    assert "Toelichting van een collega" in content  # the saved version beside them
    fte.refresh_from_db()
    assert f'name="version" value="{fte.version}"' in content
    assert [v.value for v in fte.values.all()] == [Decimal("0.10")]
    # Saving again keeps the user's values on purpose.
    again = {**loaded, "version": fte.version}
    assert client.post(url("indicator_edit", municipality, fte.pk), again).status_code == 302
    assert [v.value for v in fte.values.order_by("year")] == [Decimal("0.40"), Decimal("0.45")]


def test_service_refuses_values_out_of_bounds_and_years(opsteller, analysis):
    from django.core.exceptions import ValidationError

    score = guide_indicator(analysis, "fair-o-meter")
    for values in ({2025: (Decimal("101"), False)}, {2040: (Decimal("5"), True)}):
        with pytest.raises(ValidationError):
            services.indicator_update(
                indicator=score,
                name="",
                unit="",
                source="",
                note="",
                values=values,
                expected_version=score.version,
                by=opsteller,
            )
    assert not score.values.exists()


# --- SWOT ------------------------------------------------------------------------------------


@pytest.mark.parametrize("quadrant", ["S", "W", "O", "T"])
def test_swot_item_created_in_each_quadrant(client, opsteller, municipality, analysis, quadrant):
    client.force_login(opsteller)
    page = client.get(url("swot_create", municipality) + f"?quadrant={quadrant}")
    assert page.status_code == 200
    assert checked(page.text, "quadrant", quadrant)
    assert not checked(page.text, "quadrant", "W" if quadrant != "W" else "S")
    response = client.post(
        url("swot_create", municipality),
        {"quadrant": quadrant, "text": f"Element {quadrant}", "sdg": sdg(4).pk, "action_area": ""},
    )
    assert response.status_code == 302
    assert response.url.endswith("#swot")
    item = SwotItem.objects.get(analysis=analysis)
    assert (item.quadrant, item.text, item.sdg.number, item.action_area) == (
        quadrant,
        f"Element {quadrant}",
        4,
        None,
    )


def test_an_unknown_quadrant_in_the_address_preselects_nothing(
    client, opsteller, municipality, analysis
):
    client.force_login(opsteller)
    page = client.get(url("swot_create", municipality) + "?quadrant=<script>")
    assert page.status_code == 200
    assert not any(checked(page.text, "quadrant", q) for q in "SWOT")
    assert "<script>" not in page.text.split("<main", 1)[-1].split("</main>")[0]


def test_swot_table_shows_the_quadrants_in_two_rows(client, lezer, municipality, swot_item):
    client.force_login(lezer)
    content = client.get(url("analysis", municipality)).text
    swot = content[content.index('id="swot"') : content.index('id="actoren"')]
    order = [swot.index(label) for label in ("Sterktes", "Zwaktes", "Kansen", "Bedreigingen")]
    assert order == sorted(order)
    assert swot.count("<tr>") == 3  # the header row and two rows of two quadrants
    assert "Een actieve mondiale adviesraad" in swot
    assert "sdg-badge sdg-17" in swot and "Mondiale samenwerking" in swot
    assert "+ element" not in swot and "bewerken" not in swot


def test_swot_edit_moves_an_item_and_delete_removes_it(
    client, opsteller, municipality, analysis, swot_item
):
    client.force_login(opsteller)
    content = client.get(url("analysis", municipality)).text
    assert url("swot_edit", municipality, swot_item.pk) in content
    assert url("swot_create", municipality) + "?quadrant=T" in content
    assert client.get(url("swot_edit", municipality, swot_item.pk)).status_code == 200
    response = client.post(
        url("swot_edit", municipality, swot_item.pk),
        {
            "quadrant": "W",
            "text": "Te weinig personeel",
            "sdg": "",
            "action_area": area("BK").pk,
            "version": swot_item.version,
        },
    )
    assert response.status_code == 302
    swot_item.refresh_from_db()
    assert (swot_item.quadrant, swot_item.text, swot_item.sdg, swot_item.action_area.code) == (
        "W",
        "Te weinig personeel",
        None,
        "BK",
    )
    assert client.get(url("swot_delete", municipality, swot_item.pk)).status_code == 200
    response = client.post(url("swot_delete", municipality, swot_item.pk))
    assert response.url.endswith("#swot")
    assert not SwotItem.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"quadrant": "X"}, "Kies het kwadrant"),
        ({"quadrant": ""}, "Kies het kwadrant"),
        ({"sdg": "99999"}, "Kies een SDG uit de lijst"),
        ({"sdg": "abc"}, "Kies een SDG uit de lijst"),
        ({"action_area": "0"}, "Kies een actieterrein uit de lijst"),
        ({"text": "x" * 501}, "500"),
        ({"text": "   "}, "verplicht"),
    ],
)
def test_bad_swot_input_is_a_form_error(
    client, opsteller, municipality, analysis, changes, message
):
    client.force_login(opsteller)
    data = {"quadrant": "S", "text": "Tekst", "sdg": "", "action_area": ""}
    response = client.post(url("swot_create", municipality), {**data, **changes})
    assert response.status_code == 200
    assert message in response.text
    assert not SwotItem.objects.exists()


def test_stale_swot_edit_is_409_keeping_the_text(client, opsteller, municipality, swot_item):
    loaded = {"quadrant": "S", "text": "Mijn versie", "version": swot_item.version}
    services.swot_item_save(
        analysis=swot_item.analysis,
        item=swot_item,
        quadrant="S",
        text="Versie van een collega",
        sdg=None,
        action_area=None,
        expected_version=swot_item.version,
        by=opsteller,
    )
    client.force_login(opsteller)
    response = client.post(url("swot_edit", municipality, swot_item.pk), loaded)
    assert response.status_code == 409
    assert "Mijn versie" in response.text and "Versie van een collega" in response.text
    swot_item.refresh_from_db()
    assert swot_item.text == "Versie van een collega"


# --- actors ----------------------------------------------------------------------------------


def _actor_form(**changes):
    data = {
        "name": "Scholengroep Zuid",
        "kind": "school",
        "sphere": "interesse",
        "state": "nog_niet",
        "action_areas": [area("SW").pk],
        "notes": "Eerste regel\nTweede regel",
    }
    data.update(changes)
    return data


def test_actor_created_edited_and_deleted(client, opsteller, municipality, analysis):
    client.force_login(opsteller)
    assert client.get(url("actor_create", municipality)).status_code == 200
    response = client.post(url("actor_create", municipality), _actor_form())
    assert response.status_code == 302 and response.url.endswith("#actoren")
    actor = Actor.objects.get(analysis=analysis)
    assert (actor.kind, actor.sphere, actor.state) == ("school", "interesse", "nog_niet")
    assert [a.code for a in actor.action_areas.all()] == ["SW"]
    assert actor.notes == "Eerste regel\nTweede regel"

    assert client.get(url("actor_edit", municipality, actor.pk)).status_code == 200
    response = client.post(
        url("actor_edit", municipality, actor.pk),
        _actor_form(
            state="nieuw",
            action_areas=[area("BK").pk, area("BU").pk],
            version=actor.version,
        ),
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.state == "nieuw"
    assert sorted(a.code for a in actor.action_areas.all()) == ["BK", "BU"]

    assert client.get(url("actor_delete", municipality, actor.pk)).status_code == 200
    response = client.post(url("actor_delete", municipality, actor.pk))
    assert response.url.endswith("#actoren")
    assert not Actor.objects.exists()


def test_actor_list_and_map_show_the_state_by_text_and_shape(
    client, opsteller, lezer, municipality, analysis, actor
):
    services.actor_save(
        analysis=analysis,
        actor=None,
        name="Nieuwe diasporavereniging",
        kind="diaspora",
        sphere="interesse",
        state="nieuw",
        action_areas=[area("SW")],
        by=opsteller,
    )
    client.force_login(lezer)
    content = client.get(url("analysis", municipality)).text
    actors = content[content.index('id="actoren"') :]
    assert "Wereldwinkel Teststad" in actors and "Ngo" in actors and "Invloed" in actors
    assert "Verkoopt fairtrade" in actors
    map_part = actors[actors.index("Kaart van de actoren") :]
    cards = map_part.split('class="h6 card-title"')[1:]
    assert len(cards) == 3
    bk, bu, sw = cards
    assert "Wereldwinkel" not in bk and "Nog geen actoren" in bk
    assert "Wereldwinkel Teststad" in bu and "Loopt goed" in bu and "●" in bu
    # In an area, the running actors come before the new ones; the state reads as text too.
    assert sw.index("Wereldwinkel Teststad") < sw.index("Nieuwe diasporavereniging")
    assert "◆" in sw and "Nieuw</span>" in sw
    assert "bewerken" not in actors


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"kind": "sekte"}, "Kies een soort actor"),
        ({"sphere": "alles"}, "Kies de invloedssfeer"),
        ({"state": ""}, "Kies de stand van zaken"),
        ({"action_areas": ["0"]}, "Kies actieterreinen uit de lijst"),
        ({"action_areas": ["abc"]}, "Kies actieterreinen uit de lijst"),
        ({"name": ""}, "verplicht"),
    ],
)
def test_bad_actor_input_is_a_form_error(
    client, opsteller, municipality, analysis, changes, message
):
    client.force_login(opsteller)
    response = client.post(url("actor_create", municipality), _actor_form(**changes))
    assert response.status_code == 200
    assert message in response.text
    assert not Actor.objects.exists()


def test_stale_actor_edit_is_409_keeping_the_text(client, opsteller, municipality, actor):
    loaded = _actor_form(name="Mijn naam", version=actor.version)
    services.actor_save(
        analysis=actor.analysis,
        actor=actor,
        name="Naam van een collega",
        kind="ngo",
        sphere="invloed",
        state="loopt",
        action_areas=[],
        expected_version=actor.version,
        by=opsteller,
    )
    client.force_login(opsteller)
    response = client.post(url("actor_edit", municipality, actor.pk), loaded)
    assert response.status_code == 409
    assert "Mijn naam" in response.text and "Naam van een collega" in response.text


# --- who may do what -------------------------------------------------------------------------


def _write_requests(municipality, indicator, item, actor):
    return [
        (url("indicator_create", municipality), {"name": "x", "unit": "x"}),
        (url("indicator_edit", municipality, indicator.pk), _values_form(indicator, name="x")),
        (url("indicator_delete", municipality, indicator.pk), {}),
        (url("swot_create", municipality), {"quadrant": "S", "text": "x"}),
        (
            url("swot_edit", municipality, item.pk),
            {"quadrant": "S", "text": "x", "version": item.version},
        ),
        (url("swot_delete", municipality, item.pk), {}),
        (url("actor_create", municipality), _actor_form()),
        (url("actor_edit", municipality, actor.pk), _actor_form(version=actor.version)),
        (url("actor_delete", municipality, actor.pk), {}),
    ]


def _unchanged(indicator, item, actor):
    indicator.refresh_from_db()
    item.refresh_from_db()
    actor.refresh_from_db()
    assert indicator.name == "Scholen met een schoolband"
    assert item.text == "Een actieve mondiale adviesraad"
    assert actor.name == "Wereldwinkel Teststad"
    assert Indicator.objects.filter(definition=None).count() == 1
    assert SwotItem.objects.count() == 1 and Actor.objects.count() == 1


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_readers_get_403_on_every_post_and_edit_page(
    request, client, role, municipality, own_indicator, swot_item, actor
):
    client.force_login(request.getfixturevalue(role))
    for path, data in _write_requests(municipality, own_indicator, swot_item, actor):
        assert client.post(path, data).status_code == 403, path
        assert client.get(path).status_code == 403, path
    _unchanged(own_indicator, swot_item, actor)


def test_outsider_gets_404_on_everything_of_another_municipality(
    client, outsider, municipality, own_indicator, swot_item, actor
):
    client.force_login(outsider)
    for path, data in _write_requests(municipality, own_indicator, swot_item, actor):
        assert client.post(path, data).status_code == 404, path
        assert client.get(path).status_code == 404, path
    _unchanged(own_indicator, swot_item, actor)


def test_rows_of_another_analysis_are_404_under_ones_own_municipality(
    client, opsteller, municipality, other_municipality, own_indicator, swot_item, actor
):
    """An opsteller of two municipalities cannot reach one's rows through the other's pages."""
    from tests.factories import MembershipFactory

    MembershipFactory(user=opsteller, municipality=other_municipality)
    services.analysis_start(
        municipality=other_municipality,
        legislature=Legislature.objects.current(),
        structure=Structure.objects.get(key="per-actieterrein"),
        by=type(opsteller).objects.get(pk=opsteller.pk),  # roles are cached per user object
    )
    client.force_login(opsteller)
    for path, data in _write_requests(other_municipality, own_indicator, swot_item, actor):
        if "nieuw" in path:
            continue
        assert client.post(path, data).status_code == 404, path
        assert client.get(path).status_code == 404, path
    _unchanged(own_indicator, swot_item, actor)


def test_pages_of_a_missing_analysis_are_404(client, opsteller, municipality):
    client.force_login(opsteller)
    for name in ("indicator_create", "swot_create", "actor_create"):
        assert client.get(url(name, municipality)).status_code == 404
    assert client.get(url("swot_edit", municipality, 1)).status_code == 404


def test_anonymous_is_sent_to_login(client, municipality, analysis):
    response = client.get(url("swot_create", municipality))
    assert response.status_code == 302
    assert "next=" in response.url


# --- queries ---------------------------------------------------------------------------------


def _fill(analysis, opsteller, count):
    for i in range(count):
        indicator = services.indicator_create(
            analysis=analysis, name=f"Eigen indicator {i}", unit="aantal", by=opsteller
        )
        services.indicator_update(
            indicator=indicator,
            name=indicator.name,
            unit=indicator.unit,
            source="Eigen telling",
            note="",
            values={
                2020: (Decimal(i), False),
                2024: (Decimal(i + 1), False),
                2030: (Decimal(9), True),
            },
            expected_version=indicator.version,
            by=opsteller,
        )
        services.swot_item_save(
            analysis=analysis,
            item=None,
            quadrant="SWOT"[i % 4],
            text=f"Element {i}",
            sdg=sdg(1 + i % 17),
            action_area=area(["BK", "BU", "SW"][i % 3]),
            by=opsteller,
        )
        services.actor_save(
            analysis=analysis,
            actor=None,
            name=f"Actor {i}",
            kind="ngo",
            sphere="invloed",
            state=["loopt", "nieuw", "nog_niet"][i % 3],
            action_areas=[area(["BK", "BU", "SW"][i % 3]), area("SW")],
            by=opsteller,
        )


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["opsteller", "lezer"])
def test_analysis_page_runs_the_same_number_of_queries_for_3_and_30_parts(
    request, client, role, municipality, opsteller, analysis, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(role))
    path = url("analysis", municipality)
    year_figures_save(
        municipality=municipality,
        rows=[
            {
                "year": 2024,
                "total_budget": Decimal("30000000"),
                "lmb_budget": Decimal("60000"),
                "inhabitants": None,
                "version": 0,
            }
        ],
        by=opsteller,
    )
    _fill(analysis, opsteller, 3)
    client.get(path)  # the first request of a session may touch it
    few = _count(client, path)
    _fill(analysis, opsteller, 27)
    assert SwotItem.objects.count() == 30 and Actor.objects.count() == 30
    with django_assert_num_queries(few):
        response = client.get(path)
    content = response.text
    assert len(re.findall(r'id="indicator-\d+"', content)) == 35  # the guide's five and 30 own
    # A chart for the 30 own and the two computed ones; the guide's three without values say so.
    assert content.count('class="lmb-chart"') == 32
    assert content.count('id="swot-element-') == 30
    assert content.count('<tr id="actor-') == 30
