"""Keeps a partner's link out of the task queue in clear: the reminder task carries it encrypted with a key derived
from ``SECRET_KEY`` (Fernet), so the database alone never holds a usable token (only its hash)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    key = hashlib.sha256(f"lantoa.partners:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def unseal(sealed: str) -> str:
    return _fernet().decrypt(sealed.encode()).decode()
