"""The generic PDF helper and its URL fetcher: only the app's own static files get in."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from apps.documents.pdf import (
    BASE_URL,
    RefusedURL,
    render_pdf,
    static_only_url_fetcher,
    static_path_for,
)

from .conftest import SpyFetcher, pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def template_dir(tmp_path, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return tmp_path


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that records every request; nothing should reach it."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_render_pdf_renders_a_small_template(template_dir):
    (template_dir / "klein.html").write_text(
        "{% load static %}<html><head>"
        "<link rel='stylesheet' href='{% static \"css/print.css\" %}'></head>"
        "<body><h1>Hallo {{ naam }}</h1></body></html>"
    )
    spy = SpyFetcher()

    pdf = render_pdf(
        template_name="klein.html", context={"naam": "Teststad"}, url_fetcher=spy.fetcher
    )

    assert pdf.startswith(b"%PDF")
    assert "Hallo Teststad" in pdf_pages(pdf)[0]
    assert "css/print.css" in spy.fetcher.served
    assert "fonts/SourceSans3-Regular.ttf" in spy.fetcher.served
    assert spy.fetcher.refused == []


@pytest.mark.parametrize(
    "path",
    ["css/print.css", "fonts/SourceSans3-Bold.ttf", "css/sub%20dir/file.css"],
)
def test_internal_static_urls_map_to_a_static_path(path):
    assert static_path_for(f"{BASE_URL}static/{path}") == path.replace("%20", " ")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://lmbplanner.invalid.example.com/static/css/print.css",
        "https://lmbplanner.invalid:8443/static/css/print.css",
        "data:text/css,body{}",
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/../settings.py",
        f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}static/css/..%2F..%2Fetc/passwd",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}static/css%5C..%5Cprint.css",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    fetcher = static_only_url_fetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


@pytest.mark.parametrize("path", ["js/app.js", "vendor/htmx/htmx.min.js", "css/nope.css"])
def test_fetcher_refuses_static_files_a_document_has_no_use_for(path):
    with pytest.raises(RefusedURL):
        static_only_url_fetcher().fetch(f"{BASE_URL}static/{path}")


def test_fetcher_serves_stylesheets_as_css():
    response = static_only_url_fetcher().fetch(f"{BASE_URL}static/css/print.css?v=1#x")
    assert response.content_type == "text/css"
    assert b"@font-face" in response.read()


def test_hostile_markup_never_reaches_the_network_or_the_disk(template_dir, listener):
    origin, requests = listener
    hostile = f"""
        <img src="file:///etc/passwd">
        <img src="{origin}/x.png">
        <img src="/etc/passwd">
        <img src="data:image/svg+xml;base64,PHN2Zy8+">
        <link rel="stylesheet" href="{origin}/evil.css">
        <link rel="stylesheet" href="file:///etc/passwd">
        <link rel="attachment" href="file:///etc/passwd">
        <style>
            @import url("{origin}/import.css");
            body {{ background: url("{origin}/bg.png"); }}
        </style>
        <p style="background-image: url('file:///etc/passwd')">Tekst blijft staan.</p>
        <object data="file:///etc/passwd"></object>
        <embed src="{origin}/embed.svg">
        <svg><image href="{origin}/svg.png" width="10" height="10"/></svg>
    """
    (template_dir / "vijandig.html").write_text("<html><body>{{ hostile|safe }}</body></html>")
    spy = SpyFetcher()

    pdf = render_pdf(
        template_name="vijandig.html", context={"hostile": hostile}, url_fetcher=spy.fetcher
    )

    assert requests == []
    assert spy.fetcher.served == []
    assert set(spy.asked) == set(spy.fetcher.refused)
    assert any(url.startswith("file:///etc/passwd") for url in spy.asked)
    reader = PdfReader(io.BytesIO(pdf))
    assert "Tekst blijft staan." in reader.pages[0].extract_text()
    assert not reader.attachments
    with open("/etc/passwd", "rb") as passwd:
        first_line = passwd.readline().strip()
    assert first_line not in pdf
    assert all("root:" not in page for page in pdf_pages(pdf))
