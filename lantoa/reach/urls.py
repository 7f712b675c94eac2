"""Routes of the reach app: dashboard, drill-down, province comparison, quick visit form, imports."""

from django.urls import path

from . import views

app_name = "reach"
urlpatterns = [
    path("", views.home, name="home"),
    path("province/", views.province, name="province"),
    path("communes/<int:commune_id>/", views.dashboard, name="dashboard"),
    path("communes/<int:commune_id>/figure/", views.figure, name="figure"),
    path("communes/<int:commune_id>/contacts/", views.contacts, name="contacts"),
    path("communes/<int:commune_id>/contacts/xlsx/", views.contacts_xlsx, name="contacts_xlsx"),
    path("communes/<int:commune_id>/households/xlsx/", views.households_xlsx, name="households_xlsx"),
    path("communes/<int:commune_id>/methods/", views.methods, name="methods"),
    path("communes/<int:commune_id>/visits/", views.visit_hamlets, name="visit_hamlets"),
    path("communes/<int:commune_id>/sheet/", views.sheet_import, name="sheet_import"),
    path("communes/<int:commune_id>/roster/", views.roster_import, name="roster_import"),
    path("roster-imports/<int:rosterimport_id>/", views.roster_report, name="roster_report"),
    path("hamlets/<int:hamlet_id>/", views.hamlet, name="hamlet"),
    path("hamlets/<int:hamlet_id>/visits/", views.visit_form, name="visit_form"),
    path("households/<int:household_id>/", views.household, name="household"),
    path("contacts/<int:contact_id>/", views.contact, name="contact"),
    path("contacts/<int:contact_id>/undo/", views.undo_visit, name="undo_visit"),
]
