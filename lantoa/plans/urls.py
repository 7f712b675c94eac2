"""Public routes of the plans app (private calendar link). Back-office routes are in admin_urls.py."""

from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("calendar/<str:token>.ics", views.ical_feed, name="ical"),
]
