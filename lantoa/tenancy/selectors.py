"""Reads shared by views, the API and other apps. Every read about a user is scoped to the user's communes."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.models import Page

from . import roles
from .models import Commune, Hamlet, Household, Province, RoleGroup, Staff, Unit


def role_groups_of(user) -> QuerySet[RoleGroup]:
    if not user.is_authenticated:
        return RoleGroup.objects.none()
    return RoleGroup.objects.filter(group__user=user)


@dataclass(frozen=True)
class CommuneScope:
    """The communes a user may see: every one (a superuser), else those of their commune roles and every commune of
    the provinces of their provincial roles; nobody (signed out, deactivated) sees none."""

    every: bool = False
    communes: frozenset[int] = frozenset()
    provinces: frozenset[int] = frozenset()

    def includes(self, commune: Commune) -> bool:
        return self.every or commune.pk in self.communes or commune.province_id in self.provinces


def commune_scope(user) -> CommuneScope:
    """The user's ``CommuneScope``, read in one small query of their role groups: what checks one commune without
    listing them (``current.commune_of``, ``can_access``) — a third of the time of ``communes_for(user).filter(pk=…)``,
    whose two subqueries cost more to build than to run."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return CommuneScope()
    if user.is_superuser:
        return CommuneScope(every=True)
    rows = list(role_groups_of(user).values_list("commune_id", "province_id"))
    return CommuneScope(
        communes=frozenset(commune for commune, _province in rows if commune is not None),
        provinces=frozenset(province for _commune, province in rows if province is not None),
    )


def communes_for(user) -> QuerySet[Commune]:
    """The communes a user may see: their own, every commune of a province they oversee, or all — the rule of
    ``commune_scope``, as one lazy query (usable as a subquery; tests/test_tenancy.py checks that both agree)."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return Commune.objects.none()
    if user.is_superuser:
        return Commune.objects.all()
    groups = role_groups_of(user)
    return Commune.objects.filter(
        Q(pk__in=groups.filter(commune__isnull=False).values("commune"))
        | Q(province__in=groups.filter(province__isnull=False).values("province"))
    )


def roles_of(user) -> set[str]:
    """The role codes the user holds, in any commune or province (what the landing page is made of)."""
    return set(role_groups_of(user).values_list("role", flat=True))


def communes_with_perm(user, codename: str) -> QuerySet[Commune]:
    """The communes in which one of the user's roles grants ``codename`` — one query, for menus and the inbox.

    The same rule as ``services.has_commune_perm`` (a provincial role counts in every commune of its province).
    """
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return Commune.objects.none()
    if user.is_superuser:
        return Commune.objects.all()
    app_label, _sep, code = codename.rpartition(".")
    perm = {"group__permissions__codename": code}
    if app_label:
        perm["group__permissions__content_type__app_label"] = app_label
    groups = role_groups_of(user).filter(**perm)  # one filter(): codename and app label of the same permission
    return Commune.objects.filter(
        Q(pk__in=groups.filter(commune__isnull=False).values("commune"))
        | Q(province__in=groups.filter(commune__isnull=True).values("province"))
    )


def has_perm_anywhere(user, codename: str) -> bool:
    """Whether one of the user's roles grants ``codename`` in some commune (or its province): what a menu item asks.

    Every ``app.codename`` the user's roles grant is read in one query and kept on the user object for the rest of
    the request, so the sidebar's dozen menu checks cost one query instead of one each. A provincial role counts
    even before its province has a commune (``communes_with_perm`` then lists none)."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    granted = getattr(user, "_lantoa_perms_anywhere", None)
    if granted is None:
        rows = role_groups_of(user).values_list(
            "group__permissions__content_type__app_label", "group__permissions__codename"
        )
        granted = frozenset(f"{app}.{code}" for app, code in rows if code)
        user._lantoa_perms_anywhere = granted
    if "." not in codename:
        return any(perm.endswith("." + codename) for perm in granted)
    return codename in granted


def commune_of_page(page: Page) -> Commune | None:
    """The commune whose page tree holds the page (public pages find their commune this way)."""
    return Commune.objects.filter(root_page__path=page.path[: Page.steplen * 2]).first()


def commune_pages_filter(user) -> Q:
    """Pages of the user's communes' page trees (and the tree's root, which every chooser starts from), as a filter
    Wagtail's search backend also applies (``path`` and ``depth`` are filter fields of pages)."""
    query = Q(depth=1)
    for path in communes_for(user).exclude(root_page=None).values_list("root_page__path", flat=True):
        query |= Q(path__startswith=path)
    return query


def provinces_for(user) -> QuerySet[Province]:
    return Province.objects.filter(communes__in=communes_for(user)).distinct()


def can_access(user, obj) -> bool:
    """Whether ``obj`` (a commune-scoped record, a commune or a province) is within the user's reach."""
    if user.is_superuser and user.is_active:
        return True
    if isinstance(obj, Commune):
        return commune_scope(user).includes(obj)
    if isinstance(obj, Province):
        return provinces_for(user).filter(pk=obj.pk).exists()
    commune_id = getattr(obj, "commune_id", None)
    if commune_id is None:
        return False
    return communes_for(user).filter(pk=commune_id).exists()


def scoped(queryset: QuerySet, user) -> QuerySet:
    """Restrict any queryset of commune-scoped records (or communes/provinces) to the user's communes."""
    model = queryset.model
    if model is Commune:
        return queryset.filter(pk__in=communes_for(user).values("pk"))
    if model is Province:
        return queryset.filter(pk__in=provinces_for(user).values("pk"))
    return queryset.filter(commune__in=communes_for(user).values("pk"))


def units(user) -> QuerySet[Unit]:
    return scoped(Unit.objects.select_related("commune"), user)


def staff(user) -> QuerySet[Staff]:
    return scoped(Staff.objects.select_related("commune", "unit"), user)


def hamlets(user) -> QuerySet[Hamlet]:
    return scoped(Hamlet.objects.select_related("commune"), user)


def hamlet_ids_in_charge(user, commune) -> tuple[set[int], set[int]]:
    """The hamlets of ``commune`` this user visits, as ids, with the ids of every hamlet of the commune beside them:
    (in charge, every). In charge: the hamlets of their staff record there (a community digital team member in
    charge of some hamlets), else every hamlet of the commune. One query: the commune's hamlets with their team."""
    commune_id = getattr(commune, "pk", commune)
    if not getattr(user, "is_authenticated", False):
        return set(), set()
    rows = list(
        Hamlet.objects.filter(commune_id=commune_id).values_list(
            "pk", "team_members__user_id", "team_members__commune_id"
        )
    )
    every = {pk for pk, _member, _member_commune in rows}
    mine = {pk for pk, member, member_commune in rows if member == user.pk and member_commune == commune_id}
    return (mine or every), every


def hamlets_in_charge(user, commune) -> QuerySet[Hamlet]:
    """``hamlet_ids_in_charge``'s hamlets in charge, as a queryset."""
    in_charge, _every = hamlet_ids_in_charge(user, commune)
    return Hamlet.objects.filter(commune_id=getattr(commune, "pk", commune), pk__in=in_charge)


def households(user) -> QuerySet[Household]:
    """Households without their personal fields; use services.read_personal_data for those."""
    return scoped(Household.objects.select_related("hamlet", "commune"), user).defer(*Household.PERSONAL_FIELDS)


def commune_logins(commune: Commune):
    """The logins holding a role in the commune (active or not), with their groups and account flags."""
    return (
        get_user_model()
        .objects.filter(groups__role_group__commune=commune)
        .distinct()
        .select_related("lantoa_account")
        .prefetch_related("groups__role_group")
    )


def provinces_managed(user) -> list[Province]:
    """The provinces whose communes the user may onboard: those of its provincial role; every one for a superuser."""
    if not (user.is_authenticated and user.is_active):
        return []
    if user.is_superuser:
        return list(Province.objects.order_by("name"))
    return list(
        Province.objects.filter(
            role_groups__role=roles.PROVINCE, role_groups__commune__isnull=True, role_groups__group__user=user
        )
        .distinct()
        .order_by("name")
    )
