"""Every write to tenancy records: validated, permission-checked, audited, in one transaction."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from vietnam_provinces import Province as VNProvince
from vietnam_provinces import Ward as VNWard
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from . import locks, names, roles, selectors
from .models import (
    Commune,
    CommuneHomePage,
    CommuneScoped,
    Household,
    HouseholdChange,
    Notification,
    PeriodLock,
    PeriodLockEvent,
    PersonalDataAccess,
    Province,
    RoleGroup,
    Staff,
    Unit,
    UserAccount,
)
from .signals import commune_onboarded, deleting_record
from .text import match_key, normalize_name

# --- Permissions -----------------------------------------------------------------------------


def has_commune_perm(user, codename: str, commune: Commune | int) -> bool:
    """Whether one of the user's role groups *in this commune* grants ``codename`` (tenancy or app.codename)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    commune_id = commune.pk if isinstance(commune, Commune) else commune
    app_label, _sep, code = codename.rpartition(".")
    # The province of a commune given as an instance is known; of an id, a subquery (one query either way).
    province = (
        commune.province_id
        if isinstance(commune, Commune)
        else Subquery(Commune.objects.filter(pk=commune_id).values("province_id")[:1])
    )
    perm = {"permissions__codename": code}
    if app_label:  # in the same filter() as the codename: one permission with both
        perm["permissions__content_type__app_label"] = app_label
    return (
        Group.objects.filter(user=user, **perm)
        .filter(
            Q(role_group__commune_id=commune_id) | Q(role_group__province_id=province, role_group__commune__isnull=True)
        )
        .exists()
    )


def require_commune_perm(user, codename: str, commune: Commune | int) -> None:
    if not has_commune_perm(user, codename, commune):
        raise PermissionDenied(_("You do not have permission to do this in this commune."))


def can_manage_province(user, province: Province | int) -> bool:
    """Whether the user speaks for the province: an administrator, or a member of its provincial role group."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    province_id = province.pk if isinstance(province, Province) else province
    return Group.objects.filter(
        user=user,
        role_group__role=roles.PROVINCE,
        role_group__province_id=province_id,
        role_group__commune__isnull=True,
    ).exists()


@transaction.atomic
def set_residents_headline(user, province: Province, headline: str) -> Province:
    """Choose which count of residents reached is the headline for every commune of the province (province staff or
    an administrator only; the change is audited)."""
    if not can_manage_province(user, province):
        raise PermissionDenied(_("Only the province's staff or an administrator can choose the province's methods."))
    if headline not in Province.ResidentsHeadline.values:
        raise ValidationError({"residents_headline": _("Choose one of the two ways of counting residents reached.")})
    province = Province.objects.select_for_update().get(pk=province.pk)
    if province.residents_headline != headline:
        province.residents_headline = headline
        province.save(update_fields=["residents_headline"])
    return province


# --- Onboarding ------------------------------------------------------------------------------


def _province_from_package(code: int) -> Province:
    vn = VNProvince.from_code(code)
    province, _created = Province.objects.update_or_create(
        code=int(vn.code), defaults={"name": vn.name, "division_type": vn.division_type.value}
    )
    return province


def _sync_role_groups(commune: Commune) -> None:
    """Create or refresh one group per role for the commune, with its model, page and collection permissions."""
    for role in roles.ROLES.values():
        if role.code == roles.PROVINCE:
            continue
        group, _created = Group.objects.get_or_create(name=f"{commune.name} ({commune.code}) · {role.label}")
        RoleGroup.objects.update_or_create(group=group, defaults={"role": role.code, "commune": commune})
        _grant(group, role)
        if commune.root_page_id:
            for codename in role.page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page_id=commune.root_page_id,
                    permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
                )
        if commune.collection_id:
            for codename in role.collection_permissions:
                app = "wagtailimages" if codename.endswith("_image") else "wagtaildocs"
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection_id=commune.collection_id,
                    permission=Permission.objects.get(content_type__app_label=app, codename=codename),
                )


def _grant(group: Group, role: roles.Role) -> None:
    perms = [Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")]
    for codename in roles.permissions_for(role.code):
        app_label, _sep, code = codename.rpartition(".")
        perms.append(Permission.objects.get(content_type__app_label=app_label or "tenancy", codename=code))
    group.permissions.add(*perms)


def province_role_group(province: Province) -> Group:
    role = roles.ROLES[roles.PROVINCE]
    group, _created = Group.objects.get_or_create(name=f"{province.name} ({province.code}) · {role.label}")
    RoleGroup.objects.update_or_create(group=group, defaults={"role": role.code, "province": province})
    _grant(group, role)
    return group


@transaction.atomic
def onboard_commune(code: int, *, hostname: str | None = None, default_site: bool = False) -> Commune:
    """Create (or refresh) a commune from its 2025 code: province, page root, Wagtail site, collection, role groups.

    Idempotent: running it again for the same code changes nothing but missing pieces.
    """
    try:
        ward = VNWard.from_code(code)
    except ValueError as exc:
        raise ValidationError(_("No commune has code %(code)s in the 2025 list.") % {"code": code}) from exc
    province = _province_from_package(int(ward.province_code))
    commune, _created = Commune.objects.update_or_create(
        code=int(ward.code),
        defaults={"name": ward.name, "division_type": ward.division_type.value, "province": province},
    )
    if commune.root_page_id is None:
        # A fresh or flushed database may lack Wagtail's default locale and root page: create them.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Gốc", slug="root", live=True))
        home = CommuneHomePage(title=commune.name, slug=slugify(f"{ward.codename}-{ward.code}".replace("_", "-")))
        root.add_child(instance=home)
        home.save_revision().publish()
        commune.root_page = home
    if commune.collection_id is None:
        root_collection = Collection.get_first_root_node() or Collection.add_root(name="Gốc")
        commune.collection = root_collection.add_child(name=f"{commune.name} ({commune.code})")
    if commune.site_id is None:
        domain = getattr(settings, "LANTOA_SITE_DOMAIN", "localhost")
        host = hostname or f"{ward.codename.replace('_', '-')}-{ward.code}.{domain}"
        if default_site:
            Site.objects.filter(is_default_site=True).update(is_default_site=False)
        commune.site = Site.objects.create(
            hostname=host,
            port=80,
            root_page_id=commune.root_page_id,
            site_name=commune.name,
            is_default_site=default_site,
        )
    commune.save()
    _sync_role_groups(commune)
    _restrict_collection(commune, province_role_group(province))
    commune_onboarded.send(sender=Commune, commune=commune)
    return commune


def _restrict_collection(commune: Commune, province_group: Group) -> None:
    """The commune's collection holds internal files (evidence, drafts): only its own groups may open them."""
    restriction, _created = CollectionViewRestriction.objects.get_or_create(
        collection_id=commune.collection_id, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([*Group.objects.filter(role_group__commune=commune), province_group])


def role_group(commune: Commune, role: str) -> Group:
    return RoleGroup.objects.select_related("group").get(commune=commune, role=role).group


@transaction.atomic
def grant_role(user, role: str, *, commune: Commune | None = None, province: Province | None = None) -> None:
    if role == roles.PROVINCE:
        if province is None:
            raise ValidationError(_("The provincial role needs a province."))
        user.groups.add(province_role_group(province))
    else:
        if commune is None:
            raise ValidationError(_("This role needs a commune."))
        user.groups.add(role_group(commune, role))


# --- Commune-scoped records (units, staff, hamlets, households) ------------------------------


@transaction.atomic
def save_record(actor, instance: CommuneScoped, *, commune: Commune | None = None) -> CommuneScoped:
    """Create or update a commune-scoped record after checking the actor's permission in that commune.

    A new record without a commune takes ``commune`` (the one the actor is working in). The record is
    validated whole; nothing is written when validation fails.
    """
    creating = instance._state.adding
    if creating and instance.commune_id is None:
        if commune is None:
            raise ValidationError(_("Choose the commune this record belongs to."))
        instance.commune = commune
    if not creating:
        stored = type(instance).objects.filter(pk=instance.pk).values_list("commune_id", flat=True).first()
        if stored != instance.commune_id:
            raise PermissionDenied(_("A record cannot be moved to another commune."))
    meta = instance._meta
    action = "add" if creating else "change"
    require_commune_perm(actor, f"{meta.app_label}.{action}_{meta.model_name}", instance.commune_id)
    _check_same_commune(instance)
    if isinstance(instance, Unit):
        instance.name = normalize_name(instance.name)
        instance.match_key = match_key(instance.name)
    instance.full_clean()
    locks.ensure_record_open(instance)
    instance.save()
    return instance


@transaction.atomic
def delete_record(actor, instance: CommuneScoped) -> None:
    meta = instance._meta
    require_commune_perm(actor, f"{meta.app_label}.delete_{meta.model_name}", instance.commune_id)
    locks.ensure_record_open(instance, deleting=True)
    deleting_record.send(sender=type(instance), instance=instance, actor=actor)
    instance.delete()


# --- Households and staff over time ----------------------------------------------------------


def members_on(household: Household, day) -> int:
    """The household's residents on ``day`` from its dated history (0: not on the roster that day)."""
    changes = list(household.changes.order_by("date", "pk").values_list("date", "members_before", "members_after"))
    before = [c for c in changes if c[0] <= day]
    if before:
        return before[-1][2]
    if changes:
        return changes[0][1]
    return household.members


LEAVING = {HouseholdChange.Kind.MOVED_OUT, HouseholdChange.Kind.MERGED}
ARRIVING = {HouseholdChange.Kind.MOVED_IN}


@transaction.atomic
def record_household_change(
    actor,
    household: Household,
    *,
    kind: str,
    date,
    members_after: int | None = None,
    note: str = "",
    related: Household | None = None,
    check_perm: bool = True,
) -> HouseholdChange:
    """Record one dated change of a household (moved in or out, a birth or death, a split or merge…).

    The household's residents from ``date`` on become ``members_after`` (0 for a household that moved out or
    merged into another; a death that leaves nobody ends it too). Only the latest date may be changed: a change
    dated before one already recorded is refused, so the history reads in order. The household's current
    number of members and its dates of presence follow; the figures of a period count the roster as of their
    cut-off day, so a closed period does not move.
    """
    household = Household.objects.select_for_update().get(pk=household.pk)
    if check_perm:
        require_commune_perm(actor, "tenancy.change_household", household.commune_id)
    kinds = HouseholdChange.Kind
    if kind not in kinds.values:
        raise ValidationError({"kind": _("Choose what changed.")})
    if date is None:
        raise ValidationError({"date": _("Give the date of the change.")})
    # A change dated in a locked period (moved in or out, a death, a split, a merge) would move its figures.
    locks.ensure_open(household.commune_id, date, field="date")
    if related is not None and (related.commune_id != household.commune_id or related.pk == household.pk):
        raise ValidationError({"related": _("The other household must be another household of the same commune.")})
    last = household.changes.order_by("-date", "-pk").first()
    if last is not None and date < last.date:
        raise ValidationError(
            {
                "date": _("A later change is already recorded (%(date)s): record changes in the order they happened.")
                % {"date": last.date.strftime("%d/%m/%Y")}
            }
        )
    before = members_on(household, date)
    if kind in ARRIVING and last is None:
        before = 0  # a household just added to the roster: its history starts with its arrival
    if kind in LEAVING:
        after = 0
    elif members_after is None:
        raise ValidationError({"members_after": _("Give the number of members after the change.")})
    else:
        after = int(members_after)
    if after < 0 or after > 99:
        raise ValidationError({"members_after": _("The number of members is a whole number from 0 to 99.")})
    if kind in ARRIVING:
        if before > 0:
            raise ValidationError({"kind": _("This household is already on the roster on that day.")})
        if after < 1:
            raise ValidationError({"members_after": _("A household that moves in has at least one member.")})
    elif before == 0:
        raise ValidationError({"kind": _("This household is not on the roster on that day: record “Moved in” first.")})
    if kind in (kinds.DECEASED, kinds.MEMBER_LEFT, kinds.SPLIT) and after >= before:
        raise ValidationError({"members_after": _("After this change the household has fewer members.")})
    if kind in (kinds.BORN, kinds.MEMBER_JOINED) and after <= before:
        raise ValidationError({"members_after": _("After this change the household has more members.")})
    change = HouseholdChange.objects.create(
        commune_id=household.commune_id,
        household=household,
        kind=kind,
        date=date,
        members_before=before,
        members_after=after,
        related=related,
        note=(note or "")[:300],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    fields = []
    if after == 0:
        household.left_on = date
        fields.append("left_on")
    else:
        if household.members != after:
            household.members = after
            fields.append("members")
        if household.left_on is not None:
            household.left_on = None
            fields.append("left_on")
        if before == 0 and (household.arrived_on is None or kind in ARRIVING):
            household.arrived_on = date
            fields.append("arrived_on")
    if fields:
        household.save(update_fields=[*fields, "updated_at"])
    return change


def present_households(commune, day):
    """Households of a commune on the roster on ``day`` (from their dates of presence)."""
    return Household.objects.filter(commune=commune).filter(
        Q(arrived_on__isnull=True) | Q(arrived_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def _check_same_commune(instance: CommuneScoped) -> None:
    """Every foreign key of a commune-scoped record must point inside the same commune."""
    for field in instance._meta.concrete_fields:
        if not field.is_relation or field.name == "commune":
            continue
        related_model = field.related_model
        value_id = getattr(instance, field.attname)
        if value_id is None or not issubclass(related_model, CommuneScoped):
            continue
        other = related_model.objects.filter(pk=value_id).values_list("commune_id", flat=True).first()
        if other != instance.commune_id:
            raise ValidationError({field.name: _("This must belong to the same commune.")})


def read_personal_data(actor, household: Household, *, purpose: str) -> dict[str, str]:
    """A household's name and phone, for someone allowed to see them; every read is logged."""
    require_commune_perm(actor, "tenancy.view_personal_data", household.commune_id)
    PersonalDataAccess.objects.create(
        commune_id=household.commune_id,
        user=actor,
        household=household,
        fields=",".join(Household.PERSONAL_FIELDS),
        purpose=purpose[:200],
    )
    row = Household.objects.filter(pk=household.pk).values(*Household.PERSONAL_FIELDS).get()
    return row


def find_unit(commune: Commune, name: str) -> Unit | None:
    return Unit.objects.filter(commune=commune, match_key=match_key(name)).first()


def ensure_unit(commune: Commune, name: str, kind: str = Unit.Kind.OFFICE, **extra) -> Unit:
    """The commune's unit with this name (however it is spelled), created if missing. For imports and the demo."""
    unit = find_unit(commune, name)
    if unit is None:
        unit = Unit(commune=commune, name=normalize_name(name), kind=kind, **extra)
        unit.match_key = match_key(unit.name)
        unit.full_clean()
        unit.save()
    return unit


__all__ = [
    "delete_record",
    "members_on",
    "present_households",
    "record_household_change",
    "ensure_unit",
    "find_unit",
    "grant_role",
    "has_commune_perm",
    "match_key",
    "normalize_name",
    "onboard_commune",
    "read_personal_data",
    "require_commune_perm",
    "role_group",
    "save_record",
    "selectors",
]


def notify(users, commune: Commune | int, title: str, body: str = "", url: str = "", *, email: bool = True) -> int:
    """Leave an in-app notification for each user and e-mail those with an address. Returns how many."""
    commune_id = commune.pk if isinstance(commune, Commune) else commune
    count = 0
    for user in users:
        Notification.objects.create(commune_id=commune_id, user=user, title=title[:300], body=body, url=url)
        if email and user.email:
            link = f"{settings.WAGTAILADMIN_BASE_URL}{url}" if url else ""
            send_mail(title[:200], f"{body}\n\n{link}".strip(), None, [user.email], fail_silently=True)
        count += 1
    return count


def users_with_role(commune: Commune, *role_codes: str):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__role_group__commune=commune, groups__role_group__role__in=role_codes)
        .distinct()
    )


def unit_of(user, commune: Commune | int):
    """The unit a user works in (through their staff record), or None."""
    commune_id = commune.pk if isinstance(commune, Commune) else commune
    staff = Staff.objects.filter(user=user, commune_id=commune_id).select_related("unit").first()
    return staff.unit if staff else None


# --- Locking and re-opening ---------------------------------------------------------------------------------


@transaction.atomic
def lock_period(
    actor,
    commune: Commune,
    *,
    start: dt.date,
    end: dt.date,
    values: dict,
    report_id: int | None,
    reference: str,
    label: str = "",
    period_code: str = "",
    as_of: dt.date | None = None,
) -> PeriodLock:
    """Lock a period with the values as issued (called by the service that issues a report, in its transaction).

    A period locked before (and re-opened) is locked again with the new report's values.
    """
    if end < start:
        raise ValidationError(_("The end of the period cannot be before its start."))
    lock = PeriodLock.objects.select_for_update().filter(commune=commune, start=start, end=end).first()
    now = timezone.now()
    user = actor if getattr(actor, "pk", None) else None
    fields = {
        "values": values,
        "report_id": report_id,
        "reference": reference,
        "label": label,
        "period_code": period_code,
        "as_of": as_of,
        "locked_at": now,
        "locked_by": user,
        "reopened_at": None,
        "reopened_by": None,
    }
    if lock is None:
        lock = PeriodLock.objects.create(commune=commune, start=start, end=end, reason="", **fields)
        action = "lock"
    else:
        for name, value in fields.items():
            setattr(lock, name, value)
        lock.save()
        action = "relock"
    PeriodLockEvent.record(lock, action, actor, reference)
    return lock


@transaction.atomic
def reopen_period(actor, lock: PeriodLock, *, reason: str) -> PeriodLock:
    """The leadership re-opens a locked period so that its records can be corrected; the reason is recorded."""
    lock = PeriodLock.objects.select_for_update().get(pk=lock.pk)
    require_commune_perm(actor, "tenancy.reopen_period", lock.commune_id)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say why the period is re-opened.")})
    if not lock.is_locked:
        raise ValidationError(_("This period is already open."))
    lock.reopened_at, lock.reopened_by, lock.reason = timezone.now(), actor, reason
    lock.save()
    PeriodLockEvent.record(lock, "reopen", actor, reason)
    return lock


@transaction.atomic
def relock_period(actor, lock: PeriodLock, text: str = "") -> PeriodLock:
    """Lock a re-opened period again. The values stay those of the issued report (the document never changes);
    a corrected report of the period, once issued, replaces them."""
    lock = PeriodLock.objects.select_for_update().get(pk=lock.pk)
    require_commune_perm(actor, "tenancy.reopen_period", lock.commune_id)
    if lock.is_locked:
        raise ValidationError(_("This period is already locked."))
    lock.reopened_at, lock.reopened_by = None, None
    lock.locked_at, lock.locked_by = timezone.now(), actor
    lock.save()
    PeriodLockEvent.record(lock, "relock", actor, text)
    return lock


# --- Logins of a commune (the focal point's administration) and onboarding by the province -----------------------

MANAGE_LOGINS = "tenancy.manage_logins"


def split_full_name(full_name: str) -> tuple[str, str]:
    """A Vietnamese full name as Django's (first_name, last_name): the given name last, family and middle names
    first, each word capitalised — "nguyễn thị lan" → ("Lan", "Nguyễn Thị").
    Read it back in Vietnamese order with :func:`full_name_of`."""
    words = [w[:1].upper() + w[1:] for w in normalize_name(full_name).split(" ")]
    return names.split_full_name(" ".join(words))


full_name_of = names.full_name  # the user's full name in Vietnamese order, else the username


def _commune_role_codes(user) -> set[tuple[int | None, str]]:
    return set(RoleGroup.objects.filter(group__user=user).values_list("commune_id", "role"))


def _require_login_admin(actor, commune: Commune, target=None) -> None:
    """The actor manages the logins of ``commune``; the target (if any) is a login of that commune only.

    A login that also holds a role in another commune or the province, a superuser or the Django staff, belongs to
    someone above the focal point: only an administrator touches it. Nobody manages their own login here.
    """
    require_commune_perm(actor, MANAGE_LOGINS, commune)
    if target is None:
        return
    if target.pk == actor.pk:
        raise PermissionDenied(_("You cannot change your own login here; ask another focal point or the province."))
    if actor.is_superuser:
        return
    scopes = _commune_role_codes(target)
    if target.is_superuser or target.is_staff or any(commune_id != commune.pk for commune_id, _role in scopes):
        raise PermissionDenied(_("This login also works outside the commune: only an administrator can change it."))
    if not scopes:
        raise PermissionDenied(_("This login does not belong to the commune."))


def _clean_roles(role_codes) -> list[str]:
    codes = list(dict.fromkeys(role_codes))
    if not codes:
        raise ValidationError({"roles": _("Choose at least one role.")})
    for code in codes:
        if code not in roles.COMMUNE_ROLES:
            raise PermissionDenied(_("Only the commune's own roles can be given here."))
    return codes


def temporary_password() -> str:
    """A temporary password, readable over the phone: four groups of four letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _i in range(4)) for _g in range(4))


def _must_change_password(user, actor, value: bool = True) -> None:
    UserAccount.objects.update_or_create(user=user, defaults={"must_change_password": value, "created_by": actor})


def must_change_password(user) -> bool:
    """Whether the login still has its temporary password: read from the account loaded with the request's user
    (``accounts.AccountBackend``), else one indexed query."""
    if get_user_model().lantoa_account.is_cached(user):
        account = getattr(user, "lantoa_account", None)  # loaded and missing: None, without a query
        return bool(account and account.must_change_password)
    return UserAccount.objects.filter(user=user, must_change_password=True).exists()


@transaction.atomic
def _make_login(actor, commune: Commune, *, username: str, full_name: str, role_codes, email: str = "", staff=None):
    User = get_user_model()
    username = (username or "").strip()
    errors = {}
    if not username:
        errors["username"] = _("Enter a username.")
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            errors["username"] = _("A username has only letters, digits and @ . + - _, without spaces.")
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = _("This username is already taken.")
    full_name = normalize_name(full_name or "")
    if not full_name and staff is not None:
        full_name = staff.full_name
    if not full_name:
        errors["full_name"] = _("Enter the person's full name.")
    if staff is not None and (staff.commune_id != commune.pk or staff.user_id is not None):
        errors["staff"] = _("Choose a staff member of the commune who has no login yet.")
    if errors:
        raise ValidationError(errors)
    password = temporary_password()
    first, last = split_full_name(full_name)
    user = User.objects.create_user(username=username, password=password, email=(email or "").strip())
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    for code in role_codes:
        user.groups.add(role_group(commune, code))
    if staff is not None:
        staff.user = user
        staff.save(update_fields=["user"])
    _must_change_password(user, actor)
    return user, password


def create_login(actor, commune: Commune, *, username: str, full_name: str, role_codes, email: str = "", staff=None):
    """Create a login of the commune with commune roles only. Returns (user, temporary password): the password is
    shown once to the focal point and must be changed by the user at the first sign-in."""
    _require_login_admin(actor, commune)
    codes = _clean_roles(role_codes)
    return _make_login(
        actor, commune, username=username, full_name=full_name, role_codes=codes, email=email, staff=staff
    )


@transaction.atomic
def set_login_roles(actor, commune: Commune, user, role_codes) -> None:
    """Replace the user's roles in the commune by ``role_codes`` (commune roles only)."""
    _require_login_admin(actor, commune, user)
    codes = _clean_roles(role_codes)
    current = RoleGroup.objects.filter(commune=commune, group__user=user)
    user.groups.remove(*[rg.group for rg in current.select_related("group") if rg.role not in codes])
    user.groups.add(*[role_group(commune, code) for code in codes])


@transaction.atomic
def deactivate_login(actor, commune: Commune, user) -> None:
    """Close the login: it can no longer sign in, its sessions end, and the apps revoke its secret links
    (``user_deactivated``: calendar links, controller tokens). Its records and history stay."""
    _require_login_admin(actor, commune, user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


@transaction.atomic
def reactivate_login(actor, commune: Commune, user) -> str:
    """Open a closed login again, with a new temporary password (returned; to be changed at the first sign-in)."""
    _require_login_admin(actor, commune, user)
    user.is_active = True
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["is_active", "password"])
    _must_change_password(user, actor)
    return password


@transaction.atomic
def reset_password(actor, commune: Commune, user) -> str:
    """Give the login a temporary password (returned, shown once); the user sets a new one at the next sign-in.
    Changing the password ends the user's open sessions (Django checks the session against the password)."""
    _require_login_admin(actor, commune, user)
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    _must_change_password(user, actor)
    return password


@transaction.atomic
def reset_second_factor(actor, commune: Commune, user) -> bool:
    """A phone lost with its backup codes: the focal point removes the login's authenticator app and backup codes,
    so the password alone signs in again (and the user sets up a new phone — at once where the code is mandatory).
    Recorded in the login's audit trail. Returns whether there was anything to remove."""
    from auditlog.models import LogEntry  # noqa: PLC0415 — auditlog imports the app registry's models

    from . import second_factor  # noqa: PLC0415 — second_factor reads selectors; services stays below it

    _require_login_admin(actor, commune, user)
    had = second_factor.confirmed_device(user) is not None or second_factor.backup_codes_left(user) > 0
    second_factor.turn_off(user)
    if had:
        LogEntry.objects.log_create(
            user,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            actor=actor,
            changes={"second_factor": ["on", "off"]},
        )
    return had


@transaction.atomic
def change_own_password(user, new_password: str) -> None:
    """The user sets their own password (validated by the form); the forced change is then done."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _must_change_password(user, None, False)


@transaction.atomic
def onboard_commune_for_province(
    actor, code: int, *, username: str, full_name: str, email: str = ""
) -> tuple[Commune, object, str]:
    """A province administrator onboards a commune of its province from the 2025 list and appoints its focal point.

    Returns (commune, focal point login, temporary password). Nothing is written when the code is not a commune of
    the actor's province or the login is invalid.
    """
    try:
        ward = VNWard.from_code(int(code))
    except (ValueError, TypeError) as exc:
        raise ValidationError({"code": _("No commune has code %(code)s in the 2025 list.") % {"code": code}}) from exc
    province = Province.objects.filter(code=int(ward.province_code)).first()
    if not (actor.is_superuser or (province is not None and can_manage_province(actor, province))):
        raise PermissionDenied(_("Only the province's staff can onboard a commune of the province."))
    commune = onboard_commune(int(ward.code))
    user, password = _make_login(
        actor, commune, username=username, full_name=full_name, role_codes=[roles.PVHCC], email=email
    )
    return commune, user, password
