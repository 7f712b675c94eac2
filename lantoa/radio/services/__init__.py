"""Every write of the commune radio: permission-checked in the commune, validated, audited, in one transaction.

Workflow of a bulletin (as for the column's items):
draft → submitted → approved (commune leadership) → published; a submitted bulletin may be rejected
with a comment and goes back to the editor. Only a draft or rejected bulletin can be edited, and
its audio made; only an approved or published bulletin with audio goes on air.

One module per area, as Zulip splits its actions: ``setup``, ``bulletins`` (composing, editing, asking for
audio), ``approval``, ``devices``, ``broadcasts``. The worker's side of audio lives in ``lantoa.radio.jobs``;
what both share in ``lantoa.radio.common``.
"""

from __future__ import annotations

from .approval import approve_bulletin, publish_bulletin, reject_bulletin, reopen_bulletin, submit_bulletin
from .broadcasts import cancel_airing, confirm_airing, schedule_airing, zone_hamlets
from .bulletins import (
    column_items,
    compose_bulletin,
    compose_text,
    create_bulletin,
    normalize_bulletin,
    page_summary,
    request_synthesis,
    rerun_job,
    save_bulletin,
    set_spoken_text,
    update_item,
    upload_recording,
)
from .devices import create_device, issue_device_token, revoke_device_tokens
from .setup import ensure_setup, normalizer_for

__all__ = [
    "ensure_setup",
    "normalizer_for",
    "column_items",
    "compose_bulletin",
    "compose_text",
    "create_bulletin",
    "normalize_bulletin",
    "page_summary",
    "request_synthesis",
    "rerun_job",
    "save_bulletin",
    "set_spoken_text",
    "update_item",
    "upload_recording",
    "approve_bulletin",
    "publish_bulletin",
    "reject_bulletin",
    "reopen_bulletin",
    "submit_bulletin",
    "create_device",
    "issue_device_token",
    "revoke_device_tokens",
    "cancel_airing",
    "confirm_airing",
    "schedule_airing",
    "zone_hamlets",
]
