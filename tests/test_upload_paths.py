"""No plaintext of an upload touches disk: not in nginx's temporary files (the shipped
config), not in werkzeug's (the app's request class), for every route that takes a file."""

from __future__ import annotations

import inspect
import io
import re
from pathlib import Path

import pytest

from anice import ROOT

NGINX = ROOT / "deploy" / "nginx" / "anice.conf"
# What a view does when it takes a file body (directly or in a helper of its module).
READS_FILE = ("receive_multipart(", "receive_upload(", "receive_answer(", "request.stream",
              "request.files")
EXPECTED = {"cases.upload_cases", "rights.upload_rights", "evidence.upload",
            "api.upload_evidence", "referrals.attach", "api.post_message",
            "holder_requests.answer", "api.holder_answer_verification",
            "holders.upload_guide_image", "api.holder_upload_guide_image",
            "holders.upload_recordation_document", "api.holder_upload_recordation_document"}


def _source(fn, depth: int = 2, seen: set | None = None) -> str:
    """The view's source and that of the functions of its module it calls."""
    seen = set() if seen is None else seen
    fn = inspect.unwrap(fn)
    if fn in seen:
        return ""
    seen.add(fn)
    try:
        text = inspect.getsource(fn)
    except (OSError, TypeError):
        return ""
    if depth:
        for name in re.findall(r"\b([A-Za-z_]\w*)\(", text):
            called = fn.__globals__.get(name)
            if inspect.isfunction(called) and called.__module__ == fn.__module__:
                text += _source(called, depth - 1, seen)
    return text


def upload_rules(app) -> list:
    """Every URL rule whose view reads a file body, derived from the app itself."""
    return [rule for rule in app.url_map.iter_rules()
            if rule.methods & {"POST", "PUT", "PATCH"}
            and any(t in _source(app.view_functions[rule.endpoint]) for t in READS_FILE)]


# A small reader of nginx's syntax: directives and blocks, comments dropped.
def _tokens(text: str) -> list[str]:
    text = re.sub(r"#[^\n]*", "", text)
    return re.findall(r'"[^"]*"|\'[^\']*\'|[{};]|[^\s{};]+', text)


def _parse(tokens: list[str], at: int = 0) -> tuple[list, int]:
    block, words = [], []
    while at < len(tokens):
        token = tokens[at]
        at += 1
        if token == ";":
            block.append((words, None))
            words = []
        elif token == "{":
            children, at = _parse(tokens, at)
            block.append((words, children))
            words = []
        elif token == "}":
            return block, at
        else:
            words.append(token.strip("\"'"))
    return block, at


def tls_server() -> list:
    config, _ = _parse(_tokens(NGINX.read_text()))
    servers = [children for words, children in config if words == ["server"]]
    return next(s for s in servers if any(w[:2] == ["listen", "443"] for w, _ in s))


def _location(server: list, path: str) -> list:
    """nginx's choice: an exact match, else the longest prefix unless a regex (in order)
    matches first (``^~`` prefixes win over regexes)."""
    prefixes, regexes = [], []
    for words, children in server:
        if words[:1] != ["location"]:
            continue
        if words[1] == "=" and path == words[2]:
            return children
        if words[1] in ("~", "~*"):
            flags = re.IGNORECASE if words[1] == "~*" else 0
            regexes.append((re.compile(words[2], flags), children))
        elif words[1] == "^~" and path.startswith(words[2]):
            prefixes.append((len(words[2]), True, children))
        elif words[1] not in ("=", "^~") and path.startswith(words[1]):
            prefixes.append((len(words[1]), False, children))
    best = max(prefixes, key=lambda p: p[0])
    if not best[1]:
        for pattern, children in regexes:
            if pattern.search(path):
                return children
    return best[2]


def _effective(server: list, location: list, name: str, default: str) -> str:
    for block in (location, server):
        for words, _ in block:
            if words[:1] == [name]:
                return words[1]
    return default


def _sample_path(rule) -> str:
    return re.sub(r"<(?:int:)?[^>]+>", lambda m: "7" if "int:" in m.group(0) else "x",
                  rule.rule)


def _bytes(size: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    return int(size[:-1]) * units[size[-1].lower()] if size[-1].isalpha() else int(size)


def test_every_upload_route_is_found(app):
    found = {rule.endpoint for rule in upload_rules(app)}
    assert found == EXPECTED  # a new upload route: add it here and check its proxy location


def test_nginx_streams_every_upload_route_to_the_app(app):
    """Finding 14: /cases/import and /rights/import bodies were spooled by nginx in clear."""
    server = tls_server()
    for rule in upload_rules(app):
        path = _sample_path(rule)
        location = _location(server, path)
        assert _effective(server, location, "proxy_request_buffering", "on") == "off", path
        # As large as the app takes it (the evidence limit bounds every upload).
        size = _effective(server, location, "client_max_body_size", "1m")
        assert _bytes(size) >= 5 * 1024**3, (path, size)


def test_nginx_spools_no_body_of_any_route(app):
    server = tls_server()
    assert _effective(server, [], "proxy_request_buffering", "on") == "off"
    assert _effective(server, [], "proxy_max_temp_file_size", "1024m") == "0"
    for words, children in server:
        if words[:1] == ["location"]:
            assert _effective(server, children, "proxy_request_buffering", "on") == "off"
            assert _effective(server, children, "client_body_in_file_only", "off") == "off"


def test_upload_views_stream_and_never_use_request_files(app):
    for rule in upload_rules(app):
        source = _source(app.view_functions[rule.endpoint])
        assert "request.files" not in source, rule.endpoint
    for endpoint, view in app.view_functions.items():
        assert "request.files" not in _source(view, depth=0), endpoint


@pytest.mark.sqlite_only
def test_a_file_sent_to_any_form_route_stays_off_disk(client, monkeypatch):
    """Werkzeug spools form file parts over 500 KB to a temporary file in clear; the CSRF
    check parses every POST's form, so any route would have written one."""
    import tempfile

    import werkzeug.formparser

    spooled: list = []

    def refuse(*args, **kwargs):
        spooled.append(args)
        raise AssertionError("a form part went to a temporary file")

    for name in ("SpooledTemporaryFile", "TemporaryFile"):
        monkeypatch.setattr(werkzeug.formparser, name, refuse, raising=False)
        monkeypatch.setattr(tempfile, name, refuse)
    big = io.BytesIO(b"%PDF-1.7\n" + b"x" * (2 * 1024 * 1024))
    response = client.post("/login", data={"email": "a@b.example", "password": "p" * 12,
                                           "file": (big, "scan.pdf")},
                           content_type="multipart/form-data")
    assert spooled == [] and response.status_code < 500
    huge = io.BytesIO(b"x" * (17 * 1024 * 1024))  # past MAX_CONTENT_LENGTH: refused, not kept
    response = client.post("/login", data={"file": (huge, "big.bin")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and spooled == []


def test_nginx_config_parses_as_expected():
    server = tls_server()
    assert _location(server, "/cases/import") is not _location(server, "/cases/7")
    assert Path(NGINX).exists()
