from django.urls import path

from . import views_analysis, views_parts, views_vision

app_name = "omgevingsanalyse"

_vm = "gemeente/<nis:nis_code>/visie-missie/"
_oa = "gemeente/<nis:nis_code>/omgevingsanalyse/"
urlpatterns = [
    # visie & missie (views_vision)
    path(_vm, views_vision.vision_page, name="vision"),
    path(f"{_vm}bewerken/", views_vision.vision_edit, name="vision_edit"),
    # the analysis and its sections (views_analysis)
    path(_oa, views_analysis.analysis_page, name="analysis"),
    path(f"{_oa}starten/", views_analysis.analysis_start, name="start"),
    path(f"{_oa}inleiding/", views_analysis.introduction_edit, name="introduction"),
    path(f"{_oa}sectie/nieuw/", views_analysis.section_create, name="section_create"),
    path(f"{_oa}sectie/<id:pk>/", views_analysis.section_edit, name="section_edit"),
    path(f"{_oa}sectie/<id:pk>/verwijderen/", views_analysis.section_delete, name="section_delete"),
    path(f"{_oa}sectie/<id:pk>/verplaatsen/", views_analysis.section_move, name="section_move"),
    path(f"{_oa}sectie/<id:pk>/cijfer/", views_analysis.figure_cite, name="figure_cite"),
    path(f"{_oa}cijfer/<id:pk>/verwijderen/", views_analysis.figure_uncite, name="figure_uncite"),
    path(f"{_oa}hulpvragen/", views_analysis.questions_page, name="questions"),
    path(f"{_oa}hulpvragen/<id:question_pk>/", views_analysis.answer_save, name="answer_save"),
    path(
        f"{_oa}antwoord/<id:pk>/naar-sectie/",
        views_analysis.answer_to_section,
        name="answer_to_section",
    ),
    # indicators, SWOT and actors (views_parts)
    path(f"{_oa}indicator/nieuw/", views_parts.indicator_create, name="indicator_create"),
    path(f"{_oa}indicator/<id:pk>/", views_parts.indicator_edit, name="indicator_edit"),
    path(
        f"{_oa}indicator/<id:pk>/verwijderen/",
        views_parts.indicator_delete,
        name="indicator_delete",
    ),
    path(f"{_oa}swot/nieuw/", views_parts.swot_create, name="swot_create"),
    path(f"{_oa}swot/<id:pk>/", views_parts.swot_edit, name="swot_edit"),
    path(f"{_oa}swot/<id:pk>/verwijderen/", views_parts.swot_delete, name="swot_delete"),
    path(f"{_oa}actoren/nieuw/", views_parts.actor_create, name="actor_create"),
    path(f"{_oa}actoren/<id:pk>/", views_parts.actor_edit, name="actor_edit"),
    path(f"{_oa}actoren/<id:pk>/verwijderen/", views_parts.actor_delete, name="actor_delete"),
]
