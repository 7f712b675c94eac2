"""Routes of the awards app (back office): rounds, nominations, the council's scoring, the decision."""

from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("", views.index, name="index"),
    path("communes/<int:commune_id>/", views.commune_home, name="commune"),
    path("communes/<int:commune_id>/new/", views.new_round, name="new"),
    path("rounds/<int:awardround_id>/", views.round_page, name="round"),
    path("rounds/<int:awardround_id>/edit/", views.edit_round, name="edit"),
    path("rounds/<int:awardround_id>/step/", views.step, name="step"),
    path("rounds/<int:awardround_id>/nominate/", views.nominate, name="nominate"),
    path("rounds/<int:awardround_id>/score/", views.score, name="score"),
    path("rounds/<int:awardround_id>/decide/", views.decide, name="decide"),
    path("nominations/<int:nomination_id>/", views.nomination, name="nomination"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("decisions/<int:decision_id>/docx/", views.decision_docx, name="decision_docx"),
]
