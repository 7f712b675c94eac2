"""People's names in Vietnamese order: family name, middle names, given name ("Lường Văn Toàn").

A login keeps Django's two fields the Vietnamese way: ``first_name`` is the given name ("Toàn"), ``last_name`` the
family and middle names ("Lường Văn") — the user form's "Tên" and "Họ". Django's ``get_full_name`` joins them the
English way ("Toàn Lường Văn"), and Wagtail prints that on every screen that names a person (the account menu,
page owners, workflow and history entries). :func:`install` (called once at start-up by ``TenancyConfig.ready``)
makes ``get_full_name`` read family name first, so those screens and ours print the same name; :func:`full_name`
is the one way to print a person: the full name, else the login name.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model


def vietnamese_full_name(user) -> str:
    """``last_name`` then ``first_name``, each stripped; "" when both are empty (as Django's method)."""
    return " ".join(p for p in ((user.last_name or "").strip(), (user.first_name or "").strip()) if p)


def full_name(user) -> str:
    """How a person is named on a page or in a message: the full name in Vietnamese order, else the username;
    "" for no user (the system)."""
    if user is None:
        return ""
    return vietnamese_full_name(user) or user.get_username()


def split_full_name(full_name: str) -> tuple[str, str]:
    """A Vietnamese full name, already normalised, as Django's (first_name, last_name): "Lường Văn Toàn" →
    ("Toàn", "Lường Văn")."""
    family, _sep, given = " ".join(full_name.split()).rpartition(" ")
    return given, family


def install() -> None:
    get_user_model().get_full_name = vietnamese_full_name
