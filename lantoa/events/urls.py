"""Routes of events: the back-office pages, the door's check-in page, and the public invitation and registration."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.index, name="index"),
    path("communes/<int:commune_id>/", views.commune_home, name="commune"),
    path("communes/<int:commune_id>/tao/", views.create, name="create"),
    path("communes/<int:commune_id>/ngay-le/", views.create_national, name="create_national"),
    path("communes/<int:commune_id>/chua-duoc-thong-tin/", views.missing, name="missing"),
    path("<int:event_id>/", views.event, name="event"),
    path("<int:event_id>/sua/", views.edit, name="edit"),
    path("<int:event_id>/huy-su-kien/", views.cancel_event, name="cancel_event"),
    path("<int:event_id>/moi/", views.invite, name="invite"),
    path("<int:event_id>/giay-moi.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("<int:event_id>/nhap-danh-sach/", views.import_sheet, name="import_sheet"),
    path("<int:event_id>/diem-danh/", views.door, name="door"),
    path("invitations/<int:invitation_id>/huy/", views.cancel, name="cancel"),
    path("invitations/<int:invitation_id>/chung-nhan.pdf", views.certificate_pdf, name="certificate"),
    # Public, no login: the invitation's own page (its code is the secret) and the registration form.
    path("loi-moi/<str:token>/", views.invitation_public, name="invitation_public"),
    path("dang-ky/<str:token>/", views.register, name="register"),
]
