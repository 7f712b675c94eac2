"""Back-office routes of the learning app (/learning/)."""

from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.index, name="index"),
    path("communes/<int:commune_id>/", views.commune_home, name="commune"),
    path("communes/<int:commune_id>/certificates/", views.external, name="external"),
    path("communes/<int:commune_id>/missing/", views.missing, name="missing"),
    path("communes/<int:commune_id>/contests/", views.contests, name="contests"),
    path("courses/<int:course_id>/", views.course, name="course"),
    path("courses/<int:course_id>/start/", views.start, name="start"),
    path("lessons/<int:lesson_id>/", views.lesson, name="lesson"),
    path("attempts/<int:quizattempt_id>/", views.attempt, name="attempt"),
    path("completions/<int:coursecompletion_id>/certificate.pdf", views.certificate, name="certificate"),
    path("certificates/<int:externalcertificate_id>/", views.external_detail, name="external_detail"),
    path("certificates/<int:externalcertificate_id>/file/", views.external_file, name="external_file"),
    path("contests/<int:contest_id>/", views.contest, name="contest"),
    path("contests/<int:contest_id>/paper/", views.paper, name="paper"),
]
