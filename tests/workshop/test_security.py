"""Join codes, facilitator keys and participant tokens."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workshop.security import (
    ALPHABET,
    clean_code,
    hash_facilitator_key,
    hash_token,
    new_facilitator_key,
    new_join_code,
    new_participant_token,
    verify_facilitator_key,
)


def test_codes_avoid_characters_that_look_alike():
    assert not set("01OI") & set(ALPHABET)
    codes = {new_join_code() for _ in range(200)}
    assert all(len(c) == 6 and set(c) <= set(ALPHABET) for c in codes)
    assert len(codes) > 190


def test_keys_are_long_grouped_and_checked_loosely_but_exactly():
    key = new_facilitator_key()
    groups = key.split("-")
    assert [len(g) for g in groups] == [5, 5, 5, 5] and set("".join(groups)) <= set(ALPHABET)
    stored = hash_facilitator_key(key)
    assert key not in stored and key.replace("-", "") not in stored
    assert stored != hash_facilitator_key(key)  # a fresh salt each time
    assert verify_facilitator_key(key, stored)
    assert verify_facilitator_key(" " + key.lower().replace("-", " "), stored)
    assert not verify_facilitator_key(new_facilitator_key(), stored)
    assert not verify_facilitator_key("", stored)


@given(st.text(max_size=30))
def test_no_other_text_passes_for_the_key(text: str):
    key = "ABCDE-FGHJK-LMNPQ-RSTUV"
    stored = hash_facilitator_key(key)
    assert verify_facilitator_key(text, stored) == (clean_code(text) == clean_code(key))


def test_tokens_are_random_and_stored_as_hashes():
    tokens = {new_participant_token() for _ in range(100)}
    assert len(tokens) == 100 and all(len(t) == 32 for t in tokens)
    token = tokens.pop()
    assert hash_token(token) == hash_token(token) != token and len(hash_token(token)) == 64
