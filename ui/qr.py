"""Links to share (facilitator link, join link, projector view) and the join QR code.

Links are absolute when the browser's address is known (``st.context.url``,
else the ``Host`` header), so they can be copied into an email or a QR code;
otherwise they are relative to the app (``join?code=ABC234``), which still
works as a link inside the app.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

import qrcode
import streamlit as st


def page_url(base: str | None, path: str, params: Mapping[str, str] | None = None) -> str:
    """``base/path?params``; relative (``path?params``) when ``base`` is None.

    ``path`` is a page's url path ("" for the start page)."""
    query = f"?{urlencode(dict(params))}" if params else ""
    if base is None:
        return f"{path or './'}{query}"
    return f"{base.rstrip('/')}/{path}{query}"


def base_from_page_url(url: str | None, *own_paths: str) -> str | None:
    """The app's root URL, from the URL of the page showing (whose url path is one of ``own_paths``;
    the entry point, which runs before it knows the page, names them all)."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last and last in own_paths:
        path = head
    return f"{parts.scheme}://{parts.netloc}{path}"


def app_base_url(*own_paths: str) -> str | None:
    """The app's root URL as the browser sees it, or None when unknown (e.g. in tests)."""
    base = base_from_page_url(st.context.url, *own_paths)
    if base is not None:
        return base
    host = st.context.headers.get("Host") if st.context.headers else None
    if not host:
        return None
    scheme = st.context.headers.get("X-Forwarded-Proto", "http")
    return f"{scheme}://{host}"


def qr_png(text: str) -> bytes:
    """A QR code for ``text`` as PNG bytes: black on white, a quiet zone of
    four modules, medium error correction (a projector photo survives a smudge)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=12, border=4)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
