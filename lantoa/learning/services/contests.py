"""Knowledge contests for residents: entries online (public page) and on paper (typed in by a team), one per
person, scored by the server; results ranked by score then by the time of submission; winners published by name
only where the entrant agreed, else by initials; each household that enters counts once as reached."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.reach import services as reach
from lantoa.reach.models import Contact
from lantoa.tenancy.models import Household, PersonalDataAccess
from lantoa.tenancy.services import require_commune_perm

from .. import engine
from ..models import Contest, ContestEntry

ENTRY_LIMIT = 5  # online entries per address …
ENTRY_WINDOW = timedelta(minutes=10)  # … in this window (as the column's feedback form)
TOKEN_SALT = "learning.contest-entry"


class RateLimited(Exception):
    """Too many entries from one address in a short time."""


def _normalise_identity(raw: str) -> str:
    text = re.sub(r"[\s.\-()]", "", (raw or "").strip().upper())
    if text.startswith("+84"):
        text = "0" + text[3:]
    if not re.fullmatch(r"[0-9A-Z]{8,15}", text):
        raise ValidationError({"identity": _("Give a phone number or an ID number (8 to 15 digits).")})
    return text


def identity_hash(commune_id: int, raw: str) -> str:
    """A keyed hash of a phone or ID number: enough to refuse a second entry, useless to recover the number."""
    text = _normalise_identity(raw)
    return hmac.new(settings.SECRET_KEY.encode(), f"contest:{commune_id}:{text}".encode(), hashlib.sha256).hexdigest()


def client_key(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:contest:{ip}".encode()).hexdigest()


def is_open(contest: Contest, when: dt.datetime | None = None) -> bool:
    when = when or timezone.now()
    return contest.published and contest.opens_at <= when <= contest.closes_at


def entry_form_token(contest: Contest, rng: random.Random | None = None) -> tuple[str, list[dict]]:
    """A fresh draw for one public entry, signed into the form (question and answer ids, no key, the start)."""
    layout = engine.draw(list(contest.questions.all()), contest.questions_per_entry, rng)
    token = signing.dumps({"c": contest.pk, "l": layout, "t": timezone.now().isoformat()}, salt=TOKEN_SALT)
    return token, layout


def read_entry_token(contest: Contest, token: str) -> tuple[list[dict], dt.datetime]:
    try:
        state = signing.loads(token or "", salt=TOKEN_SALT, max_age=24 * 3600)
    except signing.BadSignature as exc:
        raise ValidationError(_("This form has expired; open the contest page again.")) from exc
    if state.get("c") != contest.pk:
        raise ValidationError(_("This form has expired; open the contest page again."))
    return state["l"], dt.datetime.fromisoformat(state["t"])


def _household(contest: Contest, code: str) -> Household | None:
    code = (code or "").strip()
    if not code:
        return None
    found = Household.objects.filter(commune_id=contest.commune_id, code__iexact=code).first()
    if found is None:
        raise ValidationError({"household_code": _("No household of the commune has this code.")})
    return found


def _save_entry(entry: ContestEntry) -> ContestEntry:
    entry.full_clean(exclude=["identity_hash", "client_key"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise ValidationError({"identity": _("This person has already entered the contest.")}) from exc
    if entry.household_id and entry.contest.activity_id:
        first = (
            ContestEntry.objects.filter(contest=entry.contest, household_id=entry.household_id)
            .exclude(reach_contact=None)
            .first()
        )
        if first is None:
            entry.reach_contact = reach.record_channel_contact(
                activity=entry.contest.activity,
                channel=Contact.Channel.EVENT,
                date=timezone.localdate(entry.submitted_at),
                household=entry.household,
                key=f"contest:{entry.contest_id}",
            )
            entry.save(update_fields=["reach_contact"])
    return entry


def _score(contest: Contest, layout: list[dict], data) -> tuple[dict, int, int]:
    by_id = {q.pk: q for q in contest.questions.all()}
    if not layout or any(row["q"] not in by_id for row in layout):
        raise ValidationError(_("The contest's questions changed; open the contest page again."))
    answers = engine.answers_from(data, layout)
    right, total = engine.score(layout, answers, by_id)
    return answers, right, total


def _already(contest: Contest, key: str) -> None:
    if ContestEntry.objects.filter(contest=contest, identity_hash=key).exists():
        raise ValidationError({"identity": _("This person has already entered the contest.")})


@transaction.atomic
def submit_online_entry(
    *,
    contest: Contest,
    token: str,
    data,
    identity: str,
    name: str = "",
    contact: str = "",
    name_public: bool = False,
    household_code: str = "",
    ip: str = "",
) -> ContestEntry:
    """A resident's entry from the public page: open contest, one per person, at most ENTRY_LIMIT per address."""
    now = timezone.now()
    if not is_open(contest, now):
        raise ValidationError(_("The contest is not open now."))
    key = client_key(ip)
    if ContestEntry.objects.filter(client_key=key, submitted_at__gte=now - ENTRY_WINDOW).count() >= ENTRY_LIMIT:
        raise RateLimited
    layout, started_at = read_entry_token(contest, token)
    person = identity_hash(contest.commune_id, identity)
    _already(contest, person)
    answers, right, total = _score(contest, layout, data)
    entry = ContestEntry(
        commune_id=contest.commune_id,
        contest=contest,
        source=ContestEntry.Source.ONLINE,
        identity_hash=person,
        name=(name or "").strip()[:120],
        contact=(contact or "").strip()[:200],
        name_public=bool(name_public and (name or "").strip()),
        household=_household(contest, household_code),
        layout=layout,
        answers=answers,
        score=right,
        total=total,
        started_at=started_at,
        submitted_at=now,
        client_key=key,
    )
    return _save_entry(entry)


@transaction.atomic
def record_paper_entry(
    user,
    contest: Contest,
    *,
    data,
    identity: str,
    submitted_at: dt.datetime,
    name: str = "",
    contact: str = "",
    name_public: bool = False,
    household: Household | None = None,
) -> ContestEntry:
    """A paper sheet typed in by a team: every question in the printed order; its time is when it was handed in."""
    require_commune_perm(user, "learning.add_contestentry", contest.commune_id)
    if submitted_at is None or not (contest.opens_at <= submitted_at <= contest.closes_at):
        raise ValidationError({"submitted_at": _("The sheet must have been handed in while the contest was open.")})
    if submitted_at > timezone.now():
        raise ValidationError({"submitted_at": _("The time handed in cannot be in the future.")})
    if household is not None and household.commune_id != contest.commune_id:
        raise ValidationError({"household": _("This household does not belong to this commune.")})
    person = identity_hash(contest.commune_id, identity)
    _already(contest, person)
    layout = engine.in_order(contest.questions.all())
    answers, right, total = _score(contest, layout, data)
    entry = ContestEntry(
        commune_id=contest.commune_id,
        contest=contest,
        source=ContestEntry.Source.PAPER,
        identity_hash=person,
        name=(name or "").strip()[:120],
        contact=(contact or "").strip()[:200],
        name_public=bool(name_public and (name or "").strip()),
        household=household,
        layout=layout,
        answers=answers,
        score=right,
        total=total,
        submitted_at=submitted_at,
        entered_by=user,
    )
    return _save_entry(entry)


@dataclass(frozen=True)
class Ranked:
    rank: int
    entry: ContestEntry
    prize: str


def ranked(contest: Contest) -> list[Ranked]:
    """Entries by score, ties broken by the time of submission (earlier first); prizes to the first places."""
    prizes = contest.prize_list()
    entries = ContestEntry.objects.filter(contest=contest).order_by("-score", "submitted_at", "pk")
    return [Ranked(i, e, prizes[i - 1] if i <= len(prizes) else "") for i, e in enumerate(entries, start=1)]


def display_name(entry: ContestEntry) -> str:
    """The full name where the entrant agreed to its publication, else initials (N. V. A.), else a number."""
    name = (entry.name or "").strip()
    if not name:
        return _("Entrant no. %(n)s") % {"n": entry.pk}
    if entry.name_public:
        return name
    return " ".join(f"{part[0].upper()}." for part in name.split())


def winners(contest: Contest) -> list[dict]:
    """The published list: rank, display name, score and prize of each prize winner."""
    if contest.results_published_at is None:
        return []
    return [
        {
            "rank": r.rank,
            "name": display_name(r.entry),
            "score": r.entry.score,
            "total": r.entry.total,
            "prize": r.prize,
        }
        for r in ranked(contest)
        if r.prize
    ]


@transaction.atomic
def publish_winners(user, contest: Contest) -> Contest:
    require_commune_perm(user, "learning.change_contest", contest.commune_id)
    if timezone.now() < contest.closes_at:
        raise ValidationError(_("Winners are published after the contest closes."))
    if not contest.prize_list():
        raise ValidationError(_("List the prizes first."))
    contest.results_published_at = timezone.now()
    contest.save(update_fields=["results_published_at"])
    return contest


def reveal_entrants(user, contest: Contest, purpose: str) -> list[ContestEntry]:
    """Names and contacts of the entrants, for handing out prizes: the reading is logged (personal data law)."""
    require_commune_perm(user, "learning.view_contestentry", contest.commune_id)
    require_commune_perm(user, "tenancy.view_personal_data", contest.commune_id)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say why you need the entrants' names and contacts.")})
    PersonalDataAccess.objects.create(
        commune_id=contest.commune_id, user=user, household=None, fields="contest: name, contact", purpose=purpose[:200]
    )
    return [r.entry for r in ranked(contest)]
