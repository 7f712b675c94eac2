"""Back-office routes of the field app, mounted under /admin/thuc-dia/ by wagtail_hooks."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from . import admin_views

app_name = "field_admin"

urlpatterns = [
    path("nhan-qr/", admin_views.stickers, name="stickers"),
    path("nhan-qr/viec/<int:job_id>/", login_required(admin_views.sticker_job), name="sticker_job"),
    path(
        "nhan-qr/<int:stickersheet_id>/tai-ve/", login_required(admin_views.sticker_download), name="sticker_download"
    ),
    path("anh/<int:fieldevent_id>/", login_required(admin_views.photo), name="photo"),
]
