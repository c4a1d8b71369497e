"""deploy/nginx.conf as shipped, run by a real nginx on loopback with a throwaway certificate:
plain HTTP only redirects to HTTPS, the app is reached over TLS with its route cookie (Secure) and
HSTS, and no facilitator key or participant token reaches the access log (issue: hostile input,
deployment)."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
KEY = "FACILITATOR-KEY-SECRET"
TOKEN = "participant-token-secret"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() and not os.environ.get("CI"), reason="nginx is not installed (.ci/run installs it)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Backend(http.server.BaseHTTPRequestHandler):
    """Stands in for a Streamlit process: answers 200 and remembers the paths it was asked for."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Backend.seen.append(self.path)
        body = b"app"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@dataclass(frozen=True)
class Site:
    http: int
    https: int
    logs: Path


def site_config(tmp: Path, backend: int, http_port: int, https_port: int) -> str:
    """The shipped file with only its machine-specific lines changed: ports, certificate, log and
    upstream addresses."""
    text = CONF.read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "/etc/letsencrypt/live/workshop.example.org/fullchain.pem": str(tmp / "cert.pem"),
        "/etc/letsencrypt/live/workshop.example.org/privkey.pem": str(tmp / "key.pem"),
        "/var/log/nginx/": f"{tmp / 'logs'}/",
        "/var/www/html": str(tmp),
        "server 127.0.0.1:8501 ": f"server 127.0.0.1:{backend} ",
        "server 127.0.0.1:8502 max_fails=2 fail_timeout=10s;": "",
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    (tmp_path / "logs").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ports = Site(free_port(), free_port(), tmp_path / "logs")
    (tmp_path / "site.conf").write_text(site_config(tmp_path, server.server_address[1], ports.http, ports.https))
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; master_process off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/logs/main.error.log;\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/site.conf; }}\n"
    )
    conf = str(tmp_path / "nginx.conf")
    check = subprocess.run([NGINX, "-t", "-c", conf], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    nginx = subprocess.Popen([NGINX, "-c", conf], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", ports.https)) == 0:
                    break
            time.sleep(0.05)
        yield ports
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        server.shutdown()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_plain_http_only_redirects_to_https(site: Site):
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"http://127.0.0.1:{site.http}/live?w=ABC&k={KEY}", timeout=10)
    assert answer.value.code == 301
    assert answer.value.headers["Location"].startswith("https://127.0.0.1/live?")
    assert not any(KEY in path for path in Backend.seen)  # nothing reached the app over plain HTTP


def test_the_app_is_served_over_tls_and_no_secret_reaches_the_log(site: Site):
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE  # the throwaway certificate
    request = urllib.request.Request(
        f"https://127.0.0.1:{site.https}/vote?p={TOKEN}",
        headers={"Referer": f"https://127.0.0.1/live?w=ABC&k={KEY}"},
    )
    with urllib.request.urlopen(request, context=insecure, timeout=10) as answer:
        assert answer.status == 200 and answer.read() == b"app"
        cookie = answer.headers["Set-Cookie"]
        assert cookie.startswith("prioritise_route=") and "Secure" in cookie and "HttpOnly" in cookie
        assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    assert f"/vote?p={TOKEN}" in Backend.seen  # the app still gets its query string
    log = (site.logs / "prioritise.access.log").read_text()
    assert '"GET /vote HTTP/1.1" 200' in log
    assert TOKEN not in log and KEY not in log
