"""Loudspeaker controllers: registering them and their secret tokens."""

from __future__ import annotations

from django.db import transaction

from lantoa.tenancy.models import Commune
from lantoa.tenancy.services import require_commune_perm

from ..common import acting_as, commune_id_of, require_same_commune
from ..models import (
    Device,
)
from ..selectors import hash_token, new_token


@transaction.atomic
def issue_device_token(actor, device: Device) -> str:
    """A new secret token for a controller (the old one stops working). Shown once; only its hash is kept."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    require_commune_perm(actor, "radio.change_device", device.commune_id)
    token = new_token()
    device.token_hash, device.token_hint = hash_token(token), token[-4:]
    device.token_issued_by = actor if getattr(actor, "is_authenticated", False) else None
    with acting_as(actor):
        device.save(update_fields=["token_hash", "token_hint", "token_issued_by"])
    return token


@transaction.atomic
def revoke_device_tokens(sender=None, *, user, **kwargs) -> int:
    """Revoke the controller tokens ``user`` issued (receiver of tenancy's ``user_deactivated``).

    The controllers stop pulling their schedule until someone active issues them a new token. Returns how many.
    """
    revoked = 0
    for device in Device.objects.select_for_update().filter(token_issued_by=user).exclude(token_hash=None):
        device.token_hash, device.token_hint, device.token_issued_by = None, "", None
        device.save(update_fields=["token_hash", "token_hint", "token_issued_by"])
        revoked += 1
    return revoked


@transaction.atomic
def create_device(actor, commune: Commune | int, *, name: str, clusters=()) -> tuple[Device, str]:
    commune_id = commune_id_of(commune)
    require_commune_perm(actor, "radio.add_device", commune_id)
    device = Device(commune_id=commune_id, name=(name or "").strip())
    with acting_as(actor):
        device.full_clean(exclude=["token_hash"])
        device.save()
        for cluster in clusters:
            require_same_commune(cluster, commune_id, "clusters")
            cluster.controller = device
            cluster.save(update_fields=["controller"])
    token = issue_device_token(actor, device)
    return device, token
