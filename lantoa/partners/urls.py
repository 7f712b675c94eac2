"""Public routes of the partners app: the page a partner opens through its personal link (no account)."""

from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("<str:token>/", views.link_page, name="link"),
]
