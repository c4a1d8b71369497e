"""Join codes, facilitator keys and participant tokens.

* Join codes: 6 characters from an alphabet without 0/O/1/I, easy to read
  off a projector and type on a phone.  They are not secrets.
* Facilitator keys: 20 characters from the same alphabet (100 bits), shown
  once as ``XXXXX-XXXXX-XXXXX-XXXXX``.  Only a salted PBKDF2-SHA256 hash is
  stored, compared in constant time.  The key's entropy, not the iteration
  count, is what makes guessing hopeless, so the count is kept modest
  (≈5 ms) because the facilitator's screen checks the key on every refresh;
  it is recorded in the hash so it can be raised later.
* Participant tokens: ``secrets.token_urlsafe(24)`` (192 bits).  The store
  keeps their SHA-256 (unsalted: a random 192-bit token needs no salt) so a
  copy of the database cannot be used to act as a participant.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6
KEY_LENGTH = 20
KEY_GROUP = 5
PBKDF2_ITERATIONS = 20_000
#: The longest key worth checking: four times the shown key (23 characters), room for spaces and
#: a pasted line; anything longer is refused as a wrong key before it is hashed.
MAX_KEY_INPUT = 4 * (KEY_LENGTH + KEY_LENGTH // KEY_GROUP - 1)
#: The longest participant token looked up (a token is 32 characters).
MAX_TOKEN_INPUT = 100
_SCHEME = "pbkdf2_sha256"


def _random_text(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_join_code() -> str:
    return _random_text(CODE_LENGTH)


def clean_code(text: str) -> str:
    """What the user typed, upper-cased, without spaces or hyphens."""
    return "".join(ch for ch in str(text).upper() if ch not in " -\t")


def new_facilitator_key() -> str:
    raw = _random_text(KEY_LENGTH)
    return "-".join(raw[i : i + KEY_GROUP] for i in range(0, KEY_LENGTH, KEY_GROUP))


def _derive(key: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", clean_code(key).encode(), salt, iterations)


def hash_facilitator_key(key: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _derive(key, salt, PBKDF2_ITERATIONS)
    return f"{_SCHEME}${PBKDF2_ITERATIONS}${salt.hex()}${digest.hex()}"


def verify_facilitator_key(key: str, stored: str) -> bool:
    """True when ``key`` matches ``stored`` (hyphens, spaces and case ignored)."""
    scheme, iterations, salt, digest = stored.split("$")
    if scheme != _SCHEME or not isinstance(key, str):
        return False
    return hmac.compare_digest(_derive(key, bytes.fromhex(salt), int(iterations)), bytes.fromhex(digest))


def new_participant_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()
