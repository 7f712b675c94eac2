"""Back-office screens (Wagtail viewsets) that only ever show the user's own communes.

``CommuneScopedViewSet`` is the base for every commune-scoped model of every app: its listing
is filtered to the user's communes, every view that loads one object answers 404 for an object
of another commune, the form offers only the user's communes (and related records of the
same commune), and saving and deleting go through ``services.save_record`` /
``services.delete_record`` which check the role's permission in that commune.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from . import history, locks, selectors, services
from .forms import add_service_errors
from .models import Commune, CommuneScoped
from .versions import ConcurrentChange, Versioned, keep_typed_values

SCOPED_VIEW_ATTRS = [
    "edit_view_class",
    "delete_view_class",
    "usage_view_class",
    "history_view_class",
    "inspect_view_class",
    "copy_view_class",
    "revisions_view_class",
    "revisions_compare_view_class",
    "revisions_unschedule_view_class",
    "unpublish_view_class",
    "preview_on_edit_view_class",
    "lock_view_class",
    "unlock_view_class",
    "workflow_action_view_class",
    "collect_workflow_action_data_view_class",
    "confirm_workflow_cancellation_view_class",
    "workflow_preview_view_class",
    "workflow_history_view_class",
    "workflow_history_detail_view_class",
]


class ObjectInScopeMixin:
    """Answers 404 when the object a view loads lies outside the user's communes."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not selectors.can_access(self.request.user, obj):
            raise Http404
        return obj


class RefusalOnTheFormMixin:
    """A service that refuses the input (``ValidationError``) shows its reasons on the form, nothing written.

    An edit refused because someone else saved the record after the form was loaded (``ConcurrentChange``)
    says who changed what and shows the form again with what the user typed (``versions.keep_typed_values``).
    """

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ConcurrentChange as exc:
            if getattr(self, "expects_json_response", False):
                return self.json_error_response("concurrent_change", " ".join(exc.messages))
            keep_typed_values(form, form.instance)
            form.add_error(None, exc.messages)
            return self._refused(form, "concurrent_change")
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._refused(form, "validation_error")

    def _refused(self, form, code: str):
        # Wagtail's form_invalid reads what its own is_valid() sets when a form fails; a service's refusal comes
        # after is_valid() passed, so it is set here. The page's banner lists the form's errors under it.
        self.produced_error_code, self.produced_error_message = code, self.get_error_message()
        return self.form_invalid(form)


class ServiceSaveCreateMixin:
    def save_instance(self):
        instance = services.save_record(self.request.user, self.form.instance)
        log(instance, "wagtail.create", user=self.request.user)
        return instance


class ServiceSaveEditMixin:
    def save_instance(self):
        instance = services.save_record(self.request.user, self.form.instance)
        log(instance, "wagtail.edit", user=self.request.user)
        return instance


class ServiceDeleteMixin:
    def delete_action(self):
        with transaction.atomic():
            log(self.object, "wagtail.delete", user=self.request.user)
            services.delete_record(self.request.user, self.object)

    def form_valid(self, form):
        # A refusal (a record of a locked period, a household with contacts…) is shown, and nothing is deleted.
        try:
            locks.ensure_record_open(self.object, deleting=True)
            return super().form_valid(form)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return redirect(self.get_success_url())


class AuditHistoryMixin:
    """Adds the audit trail (which fields changed, old and new value) to Wagtail's history screen."""

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        # In words (tenancy.history). Personal fields (names, phones, contacts) never show their values here, even
        # in entries written before they were fully masked: the history is read by roles that may not read them.
        context["audit_entries"] = history.entries(self.object)
        return context


class YesNoColumn(Column):
    """A listing's column that says a yes/no value in words (Có/Không) — Wagtail prints True/False."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if isinstance(value, bool):
            return pgettext("yes or no", "Yes") if value else pgettext("yes or no", "No")
        return value


class YesNoColumnsMixin:
    """The listing's plain columns (fields and methods of ``list_display``) say yes/no values as Có/Không."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = YesNoColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)


class ReadableInspectMixin:
    """The inspect screen says yes/no as Có/Không and no value as — (Wagtail prints True, False, None)."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return pgettext("yes or no", "Yes") if value else pgettext("yes or no", "No")
        return "—" if value is None else value


class CommuneScopedForm(WagtailAdminModelForm):
    """Offers only the user's communes and, for other relations, records of those communes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        communes = selectors.communes_for(user) if user is not None else Commune.objects.none()
        for field in self.fields.values():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            model = field.queryset.model
            if model is Commune:
                field.queryset = field.queryset.filter(pk__in=communes.values("pk"))
                if communes.count() == 1 and not self.instance.pk:
                    field.initial = communes.first().pk
            elif issubclass(model, CommuneScoped):
                field.queryset = field.queryset.filter(commune__in=communes.values("pk"))
        if isinstance(self.instance, Versioned) and self.instance.pk:
            # The version this form was loaded with: saving refuses when the record moved on since.
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=self.instance.version, min_value=0
            )
        if self.instance.pk and "commune" in self.fields:
            # A record never moves to another commune: the field is shown but not editable.
            self.fields["commune"].disabled = True
            self.fields["commune"].required = False

    def _post_clean(self):
        super()._post_clean()
        if "version" in self.fields and "version" in self.cleaned_data:
            self.instance.loaded_version = self.cleaned_data["version"]
        if not self.errors:
            # A record dated in a locked period cannot be added, changed (or moved out of it) any more.
            try:
                locks.ensure_record_open(self.instance)
            except ValidationError as exc:
                self.add_error(None, exc.messages)

    def clean_commune(self):
        if self.instance.pk:
            return self.instance.commune
        return self.cleaned_data.get("commune")

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune") or getattr(self.instance, "commune", None)
        if commune is None:
            return cleaned
        for name, value in cleaned.items():
            if isinstance(value, CommuneScoped) and value.commune_id != commune.pk:
                self.add_error(name, _("This must belong to the same commune."))
        if self.for_user is not None and not self.errors:
            action = "change" if self.instance.pk else "add"
            meta = self._meta.model._meta
            if not services.has_commune_perm(self.for_user, f"{meta.app_label}.{action}_{meta.model_name}", commune):
                raise ValidationError(_("You do not have permission to do this in this commune."))
        return cleaned


class ScopedObjectListMixin:
    def get_object_list(self):
        return selectors.scoped(super().get_object_list(), self.request.user)


class ScopedChosenMixin:
    def get_object(self, pk):
        return selectors.scoped(self.model_class.objects.filter(pk=pk), self.request.user).get()


class ScopedChosenMultipleMixin:
    def get_objects(self, pks):
        return selectors.scoped(super().get_objects(pks), self.request.user)


class NoCreateMixin:
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class CommuneScopedChooserViewSet(SnippetChooserViewSet):
    """The chooser modal (used when a form picks a hamlet, a unit…) lists the user's communes only."""

    choose_view_class = type("ScopedChooseView", (ScopedObjectListMixin, ChooseView), {})
    choose_results_view_class = type("ScopedChooseResultsView", (ScopedObjectListMixin, ChooseResultsView), {})
    chosen_view_class = type("ScopedChosenView", (ScopedChosenMixin, SnippetChosenView), {})
    chosen_multiple_view_class = type(
        "ScopedChosenMultipleView", (ScopedChosenMultipleMixin, SnippetChosenMultipleView), {}
    )
    # Records are created through their own screens (and services), never from inside a chooser.
    create_view_class = type("NoChooserCreateView", (NoCreateMixin, SnippetCreateView), {})

    @cached_property
    def widget_class(self):
        """The chosen record is not linked to its edit screen: many roles that pick a unit or a hamlet in a form
        may not edit it, and the link would refuse them (tests/test_menus.py)."""
        base = super().widget_class
        return type(base.__name__, (base,), {"show_edit_link": False})

    @property
    def creation_form_class(self):
        return None


class CommuneScopedViewSet(SnippetViewSet):
    base_form_class = CommuneScopedForm
    chooser_viewset_class = CommuneScopedChooserViewSet
    add_to_admin_menu = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for attr in SCOPED_VIEW_ATTRS:
            base = getattr(self, attr, None)
            if isinstance(base, type):
                setattr(self, attr, type(f"Scoped{base.__name__}", (ObjectInScopeMixin, base), {}))
        self.add_view_class = type(
            "ScopedCreateView", (RefusalOnTheFormMixin, ServiceSaveCreateMixin, self.add_view_class), {}
        )
        self.edit_view_class = type(
            "ScopedEditView", (RefusalOnTheFormMixin, ServiceSaveEditMixin, self.edit_view_class), {}
        )
        self.delete_view_class = type("ScopedDeleteView", (ServiceDeleteMixin, self.delete_view_class), {})
        self.history_view_class = type("AuditHistoryView", (AuditHistoryMixin, self.history_view_class), {})
        for attr in ("index_view_class",):
            base = getattr(self, attr)
            setattr(self, attr, type(f"YesNo{base.__name__}", (YesNoColumnsMixin, base), {}))
        self.inspect_view_class = type("ReadableInspectView", (ReadableInspectMixin, self.inspect_view_class), {})

    @property
    def history_template_name(self):
        return "tenancy/audit_history.html"

    def get_queryset(self, request):
        return selectors.scoped(self.model._default_manager.all(), request.user)

    def get_edit_handler(self):
        """The viewset's panels on a form that offers only the user's communes and their records."""
        return ObjectList(self.panels, base_form_class=self.base_form_class).bind_to_model(self.model)
