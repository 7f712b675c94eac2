"""Routes of the column outside the page tree: feeds, the embeddable widget, readers' feedback.

Each answers for the column of the site the request came to; the pages themselves (home, listings,
search, items, QR codes) are Wagtail pages with their own sub-routes (models.py).
"""

from django.urls import path

from . import views

app_name = "column"
urlpatterns = [
    path("rss.xml", views.feed, {"kind": "rss"}, name="rss"),
    path("atom.xml", views.feed, {"kind": "atom"}, name="atom"),
    path("podcast.xml", views.feed, {"kind": "podcast"}, name="podcast"),
    path("widget.js", views.widget_js, name="widget_js"),
    path("widget/", views.widget, name="widget"),
    path("gop-y/", views.feedback, name="feedback"),
    path("gop-y/da-gui/", views.feedback_sent, name="feedback_sent"),
]
