"""Public routes of the contests (/cuoc-thi/): the entry page and the winners, without login."""

from django.urls import path

from . import views

app_name = "contest"
urlpatterns = [
    path("<int:contest_id>/", views.entry, name="entry"),
    path("<int:contest_id>/ket-qua/", views.winners, name="winners"),
]
