from django.urls import path

from . import views

# Mounted at /thuc-dia/ by lantoa.urls; the service worker lives here too so that its scope is the app.
urlpatterns = [
    path("", views.shell, name="field_shell"),
    path("manifest.webmanifest", views.manifest, name="field_manifest"),
    path("sw.js", views.service_worker, name="field_service_worker"),
    path("me.json", views.me, name="field_me"),
]
