"""Back-office routes of the partners app, mounted under /admin/partners/ by wagtail_hooks."""

from django.urls import path

from . import views

app_name = "partners_admin"
urlpatterns = [
    path("", views.partner_list, name="partners"),
    path("xlsx/", views.partner_xlsx, name="partners_xlsx"),
    path("new/", views.partner_new, name="partner_new"),
    path("<int:partner_id>/", views.partner_detail, name="partner"),
    path("<int:partner_id>/remind/", views.remind, name="remind"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:communicationplan_id>/accept/", views.accept, name="accept"),
    path("plans/<int:communicationplan_id>/file/", views.plan_file, name="plan_file"),
    path("links/<int:partnerlink_id>/revoke/", views.revoke, name="revoke"),
    path("activities/<int:partneractivity_id>/evidence/", views.activity_evidence, name="activity_evidence"),
    path("external/", views.external_list, name="external"),
    path("external/<int:externalactivity_id>/", views.external_edit, name="external_edit"),
    path("external/<int:externalactivity_id>/evidence/", views.external_evidence, name="external_evidence"),
]
