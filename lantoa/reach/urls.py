"""Routes of the reach app (public and back-office views that are not Wagtail viewsets)."""

from django.urls import path  # noqa: F401

app_name = "reach"
urlpatterns: list = []
