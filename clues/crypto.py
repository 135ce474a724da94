"""The petition's secrets: the reporter's identity, encrypted, and the receipt code, hashed.

The identity is a Fernet token (AES-128-CBC with HMAC-SHA256, ``cryptography``) of its JSON;
the key is ``settings.FIELD_ENCRYPTION_KEY`` (a urlsafe-base64 32-byte Fernet key) when that
is set, else derived from ``SECRET_KEY`` with HKDF (so a rotated ``SECRET_KEY`` without a
``FIELD_ENCRYPTION_KEY`` makes the stored identities unreadable: production sets the key).
Receipt codes are 16 characters of an alphabet without look-alikes (80 bits), shown in groups
of four; only their HMAC-SHA256 under a second derived key is stored, so a stolen table does
not tell anyone's code and the status check looks the code up by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 16
GROUP = 4


@dataclass(frozen=True)
class Identity:
    """Who sent a real-name petition; every part optional but the name."""

    name: str
    phone: str = ""
    contact: str = ""
    work_unit: str = ""


def _derived(info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xuncha.clues", info=info).derive(
        settings.SECRET_KEY.encode()
    )


def _fernet() -> Fernet:
    configured = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    key = configured or base64.urlsafe_b64encode(_derived(b"petition identity"))
    return Fernet(key)


def encrypt_identity(identity: Identity) -> str:
    return _fernet().encrypt(json.dumps(asdict(identity), ensure_ascii=False).encode()).decode()


def decrypt_identity(token: str) -> Identity | None:
    """The identity kept in ``token``; None for an empty one (an anonymous petition), or one
    that the key in force cannot read."""
    if not token:
        return None
    try:
        data = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        return None
    return Identity(**{key: str(data.get(key, "")) for key in Identity.__dataclass_fields__})


def new_receipt_code() -> str:
    """A fresh code, grouped for reading out and writing down: ``ABCD-EFGH-JKLM-NPQR``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalize_code(code: str) -> str | None:
    """The code's characters as stored (upper case, without separators or spaces); None for
    anything that cannot be a code."""
    cleaned = "".join(code.split()).replace("-", "").upper()
    if len(cleaned) != CODE_LENGTH or any(char not in ALPHABET for char in cleaned):
        return None
    return cleaned


def receipt_hash(code: str) -> str | None:
    """The stored form of ``code`` (None when it cannot be a code)."""
    normalized = normalize_code(code)
    if normalized is None:
        return None
    key = _derived(b"petition receipt code")
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def client_key(address: str) -> str:
    """A visitor's address as the rate limits count it: a keyed hash, never the address."""
    key = _derived(b"petition client")
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]
