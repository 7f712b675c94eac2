"""Routes of the radio app: the studio in the back office and the private schedule links of controllers."""

from django.urls import path

from . import views

app_name = "radio"
urlpatterns = [
    path("", views.index, name="index"),
    path("communes/<int:commune_id>/", views.commune_home, name="commune"),
    path("communes/<int:commune_id>/compose/", views.compose, name="compose"),
    path("communes/<int:commune_id>/program/", views.program, name="program"),
    path("communes/<int:commune_id>/log/", views.log, name="log"),
    path("bulletins/<int:bulletin_id>/", views.studio, name="studio"),
    path("bulletins/<int:bulletin_id>/normalize/", views.normalize, name="normalize"),
    path("bulletins/<int:bulletin_id>/spoken/", views.spoken, name="spoken"),
    path("bulletins/<int:bulletin_id>/synthesize/", views.synthesize, name="synthesize"),
    path("bulletins/<int:bulletin_id>/upload/", views.upload, name="upload"),
    path("bulletins/<int:bulletin_id>/workflow/", views.workflow, name="workflow"),
    path("bulletins/<int:bulletin_id>/schedule/", views.schedule, name="schedule"),
    path("items/<int:bulletinitem_id>/", views.item, name="item"),
    path("jobs/<int:audiojob_id>/rerun/", views.rerun, name="rerun"),
    path("airings/<int:airing_id>/confirm/", views.confirm, name="confirm"),
    path("airings/<int:airing_id>/cancel/", views.cancel, name="cancel"),
    path("devices/<int:device_id>/token/", views.device_token, name="device_token"),
    path("feeds/<str:token>/schedule.m3u", views.playlist, name="feed_m3u"),
    path("feeds/<str:token>/schedule.ics", views.calendar, name="feed_ics"),
    path("feeds/<str:token>/airings/<int:airing_id>.mp3", views.feed_audio, name="feed_audio"),
]
