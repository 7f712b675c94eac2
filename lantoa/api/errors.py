"""Every error of the JSON API answers JSON in the user's language (Vietnamese unless they chose English).

django-ninja's own answers are English ("Not Found", "Unauthorized", pydantic's "Input should be a valid
integer…"). ``install(api)`` replaces its handlers: ``{"detail": "<one sentence>"}`` for every error, and for a
request that does not fit the schema (422) also ``"errors"``: one entry per wrong field with its location, the
pydantic error type (for programs) and a translated message (for people). Nothing is written on any of them.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("lantoa.api")

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) in words a person reads.
MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "float_type": gettext_lazy("Enter a number."),
    "finite_number": gettext_lazy("Enter a number."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "string_type": gettext_lazy("Enter text."),
    "string_unicode": gettext_lazy("Enter text."),
    "string_too_short": gettext_lazy("This text is too short."),
    "string_too_long": gettext_lazy("This text is too long."),
    "string_pattern_mismatch": gettext_lazy("This text is not in the expected form."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_type": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": gettext_lazy("Enter a date and time as YYYY-MM-DDTHH:MM:SS+07:00."),
    "datetime_from_date_parsing": gettext_lazy("Enter a date and time as YYYY-MM-DDTHH:MM:SS+07:00."),
    "datetime_type": gettext_lazy("Enter a date and time as YYYY-MM-DDTHH:MM:SS+07:00."),
    "datetime_object_invalid": gettext_lazy("Enter a date and time as YYYY-MM-DDTHH:MM:SS+07:00."),
    "list_type": gettext_lazy("Enter a list."),
    "dict_type": gettext_lazy("Enter an object."),
    "model_type": gettext_lazy("Enter an object."),
    "model_attributes_type": gettext_lazy("Enter an object."),
    "enum": gettext_lazy("Choose one of the allowed values."),
    "literal_error": gettext_lazy("Choose one of the allowed values."),
    "greater_than": gettext_lazy("This number is too small."),
    "greater_than_equal": gettext_lazy("This number is too small."),
    "less_than": gettext_lazy("This number is too large."),
    "less_than_equal": gettext_lazy("This number is too large."),
    "too_short": gettext_lazy("This list has too few items."),
    "too_long": gettext_lazy("This list has too many items."),
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
    "json_type": gettext_lazy("The request body is not valid JSON."),
    "extra_forbidden": gettext_lazy("This field is not allowed here."),
}

# Where an error lies, as the first item of its location.
PLACES = {
    "body": gettext_lazy("request body"),
    "query": gettext_lazy("query string"),
    "path": gettext_lazy("address"),
    "header": gettext_lazy("header"),
    "cookie": gettext_lazy("cookie"),
}


# The English sentences django-ninja itself raises as HttpError.
NINJA_MESSAGES = {
    "Cannot parse request body": gettext_lazy("The request body cannot be read: send JSON."),
    "CSRF check Failed": gettext_lazy("The form's security check failed: reload the page and try again."),
    "Too many requests.": gettext_lazy("Too many requests: please wait a moment."),
}


def translate(error: dict) -> dict:
    loc = [part for part in error.get("loc", ()) if part != "payload"]
    message = MESSAGES.get(error.get("type", ""), gettext_lazy("This value is not valid."))
    field = ".".join(str(part) for part in loc[1:]) or str(PLACES.get(str(loc[0]), loc[0]) if loc else "")
    return {"loc": loc, "type": error.get("type", ""), "field": field, "msg": str(message)}


def install(api) -> None:
    """Replace django-ninja's English error answers on ``api`` by the ones above."""

    def respond(request, status: int, detail: str, **extra):
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        errors = [translate(e) for e in exc.errors]
        summary = "; ".join(f"{e['field']}: {e['msg']}" if e["field"] else e["msg"] for e in errors)
        return respond(request, 422, _("The request is not valid: %(errors)s") % {"errors": summary}, errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(request, 401, _("Sign in first (or send a valid token)."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        message = str(exc.message)
        return respond(request, exc.status_code, str(NINJA_MESSAGES.get(message, message)))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        """A role that lacks the permission in the commune (tenancy.current.require)."""
        return respond(request, 403, str(exc) or _("You do not have permission to do this in this commune."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, _("Not found, or not in your communes."))

    @api.exception_handler(DjangoValidationError)
    def refused(request, exc: DjangoValidationError):
        """A service refused the input (its messages are already translated)."""
        return respond(request, 400, " ".join(exc.messages))

    @api.exception_handler(Exception)
    def crashed(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, _("The system hit an error; nothing was saved. Please try again later."))
