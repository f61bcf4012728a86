import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from apps.core.models import ActionArea, AmbitionLevel, Legislature, SDGGoal, SDGTarget

pytestmark = pytest.mark.django_db


def test_there_are_17_goals_with_dutch_names_and_un_colours():
    goals = list(SDGGoal.objects.all())
    assert [g.number for g in goals] == list(range(1, 18))
    assert all(re.fullmatch(r"#[0-9A-F]{6}", g.colour) for g in goals)
    goal = SDGGoal.objects.get(number=17)
    assert goal.name_nl == "Partnerschap om doelstellingen te bereiken"
    assert goal.colour == "#19486A"
    assert goal.name_en == "Partnerships for the goals"
    assert goal.title_un.startswith("Strengthen the means of implementation")
    assert goal.pillar == "partnership"


def test_goals_belong_to_the_five_ps():
    pillars = dict(SDGGoal.objects.values_list("number", "pillar"))
    assert {n for n, p in pillars.items() if p == "people"} == {1, 2, 3, 4, 5}
    assert {n for n, p in pillars.items() if p == "planet"} == {6, 12, 13, 14, 15}
    assert {n for n, p in pillars.items() if p == "prosperity"} == {7, 8, 9, 10, 11}
    assert pillars[16] == "peace"


def test_there_are_169_targets_including_17_2():
    assert SDGTarget.objects.count() == 169
    target = SDGTarget.objects.select_related("goal").get(code="17.2")
    assert target.goal.number == 17
    assert "0.7 per cent" in target.title_en
    # Numbered targets come before the lettered ones within a goal.
    codes = list(SDGTarget.objects.filter(goal__number=1).values_list("code", flat=True))
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]


def test_target_title_is_dutch_and_falls_back_to_english_without_one():
    target = SDGTarget.objects.get(code="17.2")
    with translation.override("nl-be"):
        assert target.title == target.title_nl
        assert target.title.startswith("Ontwikkelde landen")
    target.title_nl = ""
    with translation.override("nl-be"):
        assert target.title == target.title_en
    target.title_nl = "Ontwikkelingshulp"
    with translation.override("nl-be"):
        assert target.title == "Ontwikkelingshulp"
    with translation.override("en"):
        assert target.title == target.title_en


def test_three_action_areas_and_three_levels_in_dutch_and_english():
    assert list(ActionArea.objects.values_list("code", "name_nl")) == [
        ("BK", "Mondiale beleidskeuzes"),
        ("BU", "Mondiaal burgerschap"),
        ("SW", "Mondiale samenwerking"),
    ]
    assert list(AmbitionLevel.objects.values_list("name_nl", flat=True)) == [
        "Starten",
        "Goed bezig",
        "Veel ambitie",
    ]
    with translation.override("en"):
        assert ActionArea.objects.get(code="BU").name == "Global citizenship"
    assert all(a.description_nl and a.description_en for a in ActionArea.objects.all())


def test_the_current_legislature_is_2026_2031():
    legislature = Legislature.objects.current()
    assert (legislature.start_year, legislature.end_year) == (2026, 2031)
    assert legislature.years == [2026, 2027, 2028, 2029, 2030, 2031]


def test_loading_reference_data_again_changes_nothing():
    before = {
        "goals": list(SDGGoal.objects.values()),
        "targets": list(SDGTarget.objects.order_by("pk").values()),
        "areas": list(ActionArea.objects.values()),
    }
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(SDGGoal.objects.values()) == before["goals"]
    assert list(SDGTarget.objects.order_by("pk").values()) == before["targets"]
    assert list(ActionArea.objects.values()) == before["areas"]


def test_the_sdg_stylesheet_matches_the_goal_colours():
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "sdg.css").read_text()
    for goal in SDGGoal.objects.all():
        rule = re.search(rf"\.sdg-{goal.number} \{{ background-color: (#\w+); color: (#\w+);", css)
        assert rule, f"no rule for SDG {goal.number}"
        assert rule.group(1) == goal.colour
        expected = "#000" if goal.text_colour == "#000000" else "#fff"
        assert rule.group(2) == expected
