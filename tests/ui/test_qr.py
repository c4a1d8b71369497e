"""The app's root URL, read from the address of the page showing."""

import pytest

from ui.qr import base_from_page_url, page_url

PATHS = ("setup", "live", "present")


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("http://host:8501/", "http://host:8501"),
        ("http://host:8501/live", "http://host:8501"),
        ("https://example.org/prioritise/present", "https://example.org/prioritise"),
        ("https://example.org/prioritise", "https://example.org/prioritise"),  # the start page under a base path
        ("https://example.org/prioritise/other", "https://example.org/prioritise/other"),  # not one of our pages
        ("live", None),
        (None, None),
    ],
)
def test_base_strips_only_a_known_page_path(url, base):
    assert base_from_page_url(url, *PATHS) == base


def test_projector_link_carries_the_code_only():
    assert page_url("http://host:8501", "present", {"code": "ABC234"}) == "http://host:8501/present?code=ABC234"
