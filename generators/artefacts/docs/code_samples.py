"""Code samples for the docs page: one curl, JavaScript ``fetch`` and Python ``requests`` call per operation.

Each sample is an example request built from the operation: its path, required query, header and cookie
parameters and its request body take their documented example or a value from the shared sample builder
(the one the Postman collection uses); ``If-Match`` is sent where the operation takes it, and a fresh
``Idempotency-Key`` where it takes one. Credentials come from an environment variable, never from the spec.

Everything the spec supplies is data in the generated code: single-quoted for the shell (``shlex.quote``),
JSON string literals for JavaScript and Python. A hostile example value cannot run a command.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii
from typing import Any
from urllib.parse import quote

from generators.artefacts.forms import FormField, form_fields, is_form
from generators.artefacts.operation_facts import (
    IF_MATCH_HEADER,
    OperationFacts,
    first_example,
    is_json,
    pick_media,
    resolve,
)
from generators.artefacts.params import QUERY_LOCATIONS, path_style, query_pairs, simple_style, value_schema
from generators.artefacts.postman.common import base_url
from generators.artefacts.samples import SampleBuilder
from generators.core.jsonout import dump_json
from generators.core.operations import http_method

_SKIPPED_HEADERS = {"content-type", "authorization"}  # a declared Accept is always sent (curl would send */*)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PATH_VAR = re.compile(r"\{([^{}]+)\}")
_ENV_UNSAFE = re.compile(r"[^A-Z0-9]+")
_SEGMENT_SAFE = "-._~!$&'()*+,;=:@"  # what a path segment may hold unencoded (RFC 3986 pchar)
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.\-\[\]]+")  # a form field name curl's -F reads as written
_FILE_NAME = "file.bin"  # the file a sample's file part uploads: the reader puts theirs in its place
_PY_METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}


@dataclass(frozen=True)
class Auth:
    """How a request carries its credential: a header, a query parameter, a cookie or HTTP Basic."""

    kind: str  # "bearer" | "header" | "query" | "cookie" | "basic"
    name: str = ""


@dataclass
class Call:
    """One example request, language-neutral."""

    method: str
    url: str  # base URL + path with path parameters filled in (percent-encoded)
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    idempotency_key: str | None = None  # the header's name as documented, when the operation takes one
    auth: Auth | None = None
    media_type: str | None = None
    body: Any = None
    form: list[FormField] | None = None  # form fields (urlencoded or multipart)
    body_text: str = ""  # the body as sent: indented JSON for a JSON media type, else the text itself


class CodeSamples:
    """Builds the samples of every operation of one spec (one shared sample builder)."""

    def __init__(self, spec: dict[str, Any], token_variable: str) -> None:
        self.spec = spec
        self.token = token_variable
        self.builder = SampleBuilder(spec, "request")
        self.base = base_url_of(spec)
        self.root_security = spec.get("security")
        # the value of each parameter object by identity: components' parameters are shared by many operations
        self._values: dict[int, tuple[dict[str, Any], Any]] = {}
        self._segments: dict[int, tuple[dict[str, Any], str]] = {}  # a path parameter's value, percent-encoded

    def for_operation(self, path: str, op: dict[str, Any], facts: OperationFacts) -> list[dict[str, str]]:
        """The ``x-codeSamples`` entries of one operation: curl, JavaScript and Python."""
        call = self.call(path, op, facts)
        return [
            {"lang": "Shell", "label": "curl", "source": curl(call, self.token)},
            {"lang": "JavaScript", "label": "JavaScript", "source": javascript(call, self.token)},
            {"lang": "Python", "label": "Python", "source": python(call, self.token)},
        ]

    def call(self, path: str, op: dict[str, Any], facts: OperationFacts) -> Call:
        """The example request of the operation ``op`` at ``path``."""
        by_path = {p["name"]: p for p in facts.parameters if p.get("in") == "path"}

        def fill(match: re.Match[str]) -> str:
            param = by_path.get(match.group(1))
            if param is None:
                return quote(match.group(1), safe=_SEGMENT_SAFE)
            known = self._segments.get(id(param))
            if known is None or known[0] is not param:
                text = path_style(self._value(param), param)
                known = self._segments[id(param)] = (param, quote(text, safe=_SEGMENT_SAFE))
            return known[1]

        call = Call(method=http_method(facts.method), url=self.base + _PATH_VAR.sub(fill, path))
        call.idempotency_key = facts.idempotency_key
        cookies: list[str] = []
        for param in facts.parameters:
            where, name = param.get("in"), param["name"]
            lowered = name.lower()
            if where in QUERY_LOCATIONS and param.get("required") is True:
                call.query += query_pairs(param, self._value(param))
            elif where == "header" and lowered not in _SKIPPED_HEADERS and name != facts.idempotency_key:
                if param.get("required") is True or lowered in (IF_MATCH_HEADER, "accept"):
                    call.headers.append((name, _header_value(simple_style(self._value(param), param))))
            elif where == "cookie" and param.get("required") is True:
                cookies.append(f"{name}={simple_style(self._value(param), param)}")
        if cookies:
            call.headers.append(("Cookie", _header_value("; ".join(cookies))))
        call.auth = self._auth(op)
        media = pick_media(resolve(self.spec, op.get("requestBody")), self.spec)
        if media is not None:
            call.media_type, content = media
            value = self._media_value(content)
            if is_form(call.media_type) and isinstance(value, dict):
                call.form = form_fields(call.media_type, content, value, self.builder)
            else:
                call.body = value
                call.body_text = _body_text(call.media_type, value)
        return call

    # ------------------------------------------------------------------ values

    def _value(self, param: dict[str, Any]) -> Any:
        known = self._values.get(id(param))
        if known is not None and known[0] is param:
            return known[1]
        value = self._new_value(param)
        self._values[id(param)] = (param, value)
        return value

    def _new_value(self, param: dict[str, Any]) -> Any:
        found, value = first_example(self.spec, param)
        if found:
            return value
        return self.builder.sample(value_schema(param))

    def _media_value(self, media: dict[str, Any]) -> Any:
        found, value = first_example(self.spec, media)
        return value if found else self.builder.sample(media.get("schema"))

    def _auth(self, op: dict[str, Any]) -> Auth | None:
        security = op.get("security", self.root_security)
        if not isinstance(security, list) or not security or not isinstance(security[0], dict) or not security[0]:
            return None
        components = self.spec.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        for name in security[0]:
            scheme = resolve(self.spec, schemes.get(name)) if isinstance(schemes, dict) else None
            if not isinstance(scheme, dict):
                continue
            kind = scheme.get("type")
            if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
                return Auth(str(scheme["in"]), str(scheme.get("name", "")))
            if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                return Auth("basic")
            if kind in ("http", "oauth2", "openIdConnect"):
                return Auth("bearer")
        return None


# ---------------------------------------------------------------------- renderers


def curl(call: Call, token: str) -> str:
    """A curl command line; every spec-supplied string is single-quoted (``shlex.quote``)."""
    url = call.url + _query_string(call.query)
    lines: list[str] = []
    if call.method == "HEAD":
        lines.append("curl --head " + _url_with_auth(url, call.auth, token))
    elif call.method == "GET":
        lines.append("curl " + _url_with_auth(url, call.auth, token))
    else:
        lines.append(f"curl -X {shlex.quote(call.method)} " + _url_with_auth(url, call.auth, token))
    if call.auth is not None:
        if call.auth.kind == "bearer":
            lines.append(f'-H "Authorization: Bearer ${token}"')
        elif call.auth.kind == "header":
            lines.append("-H " + shlex.quote(f"{_header_value(call.auth.name)}: ") + f'"${token}"')
        elif call.auth.kind == "cookie":
            lines.append("-b " + shlex.quote(f"{_header_value(call.auth.name)}=") + f'"${token}"')
        elif call.auth.kind == "basic":
            lines.append(f'-u "${token}"')
    if call.idempotency_key is not None:
        lines.append(f'-H "{call.idempotency_key}: $(uuidgen)"')  # the name is idempotency-key in some case
    for name, value in call.headers:
        lines.append("-H " + shlex.quote(_header_value(f"{name}: {value}")))
    if call.media_type is not None:
        if call.form is not None and call.media_type.lower().startswith("multipart/"):
            # curl writes multipart's Content-Type itself (with the boundary); --form-string never reads a file
            lines += [_curl_part(f) for f in call.form]
            return " \\\n  ".join(lines) + "\n"
        lines.append("-H " + shlex.quote(f"Content-Type: {_header_value(call.media_type)}"))
        if call.form is not None:
            lines.append("--data-raw " + shlex.quote(_form_encoded(call.form)))
        else:
            lines.append("--data-raw " + shlex.quote(call.body_text))
    return " \\\n  ".join(lines) + "\n"


def javascript(call: Call, token: str) -> str:
    """A ``fetch`` call (Node 18+ or a browser); strings are JSON literals."""
    url = call.url + _query_string(call.query)
    if call.auth is not None and call.auth.kind == "query":
        sep = "&" if "?" in url else "?"
        url_expr = f"{_js(url + sep + quote(call.auth.name, safe='') + '=')} + encodeURIComponent(process.env.{token})"
    else:
        url_expr = _js(url)
    headers: list[str] = []
    if call.auth is not None:
        if call.auth.kind == "bearer":
            headers.append(f'"Authorization": `Bearer ${{process.env.{token}}}`')
        elif call.auth.kind == "header":
            headers.append(f"{_js(call.auth.name)}: process.env.{token}")
        elif call.auth.kind == "cookie":
            headers.append(f'"Cookie": {_js(call.auth.name + "=")} + process.env.{token}')
        elif call.auth.kind == "basic":
            headers.append(f'"Authorization": "Basic " + btoa(process.env.{token})')
    if call.idempotency_key is not None:
        headers.append(f"{_js(call.idempotency_key)}: crypto.randomUUID()")
    headers += [f"{_js(name)}: {_js(value)}" for name, value in call.headers]
    body: str | None = None
    out: list[str] = []
    if call.media_type is not None:
        multipart = call.form is not None and call.media_type.lower().startswith("multipart/")
        if not multipart:  # fetch writes multipart's Content-Type itself (with the boundary)
            headers.append(f'"Content-Type": {_js(call.media_type)}')
        if call.form is not None and multipart:
            out.append("const form = new FormData();")
            out += [_js_part(f) for f in call.form]
            body = "form"
        elif call.form is not None:
            body = _js(_form_encoded(call.form))
        elif is_json(call.media_type):
            body = "JSON.stringify(" + call.body_text.replace("\n", "\n  ") + ")"
        else:
            body = _js(call.body_text)
    out += [f"const response = await fetch({url_expr}, {{", f"  method: {_js(call.method)},"]
    if headers:
        out.append("  headers: {")
        out += [f"    {h}," for h in headers]
        out.append("  },")
    if body is not None:
        out.append(f"  body: {body},")
    out.append("});")
    out.append("console.log(response.status, await response.text());")
    return "\n".join(out) + "\n"


def python(call: Call, token: str) -> str:
    """A ``requests`` call; strings are JSON literals (valid Python)."""
    method = call.method.lower()
    head = f"requests.{method}(" if method in _PY_METHODS else f"requests.request({_js(call.method)}, "
    args = [_js(call.url)]
    headers: list[str] = []
    params = [f"({_js(k)}, {_js(v)})" for k, v in call.query]
    imports = ["import os"] if call.auth is not None else []
    extra: list[str] = []
    if call.auth is not None:
        env = f"os.environ[{_js(token)}]"
        if call.auth.kind == "bearer":
            headers.append(f'"Authorization": "Bearer " + {env}')
        elif call.auth.kind == "header":
            headers.append(f"{_js(call.auth.name)}: {env}")
        elif call.auth.kind == "query":
            params.append(f"({_js(call.auth.name)}, {env})")
        elif call.auth.kind == "cookie":
            extra.append(f"cookies={{{_js(call.auth.name)}: {env}}}")
        elif call.auth.kind == "basic":
            extra.append(f'auth=tuple({env}.split(":", 1))')
    if call.idempotency_key is not None:
        imports.append("import uuid")
        headers.append(f"{_js(call.idempotency_key)}: str(uuid.uuid4())")
    headers += [f"{_js(name)}: {_js(value)}" for name, value in call.headers]
    if call.media_type is not None:
        multipart = call.form is not None and call.media_type.lower().startswith("multipart/")
        if multipart:
            # a list, not a dict: an array sends one part per item, under one name
            extra.append("files=[" + ", ".join(_python_part(f) for f in call.form or []) + "]")
        else:
            headers.append(f'"Content-Type": {_js(call.media_type)}')
            if call.form is not None:
                extra.append(f"data={_js(_form_encoded(call.form))}")
            elif is_json(call.media_type):
                extra.append(f"json={_py_literal(call.body, 4, 2)}")
            else:
                extra.append(f"data={_js(call.body_text)}")
    if params:
        args.append("params=[" + ", ".join(params) + "]")
    if headers:
        args.append("headers={\n" + "".join(f"        {h},\n" for h in headers) + "    }")
    args += extra
    imports = sorted(set(imports))
    lines = [*imports, "", "import requests", "", "response = " + head.rstrip()]
    lines += [f"    {a}," for a in args]
    lines.append(")")
    lines.append("print(response.status_code, response.text)")
    text = "\n".join(lines) + "\n"
    return text[1:] if text.startswith("\n") else text


# ---------------------------------------------------------------------- helpers


def token_variable(name: str) -> str:
    """The environment variable holding the credential: ``atlas-public-api`` -> ``ATLAS_PUBLIC_API_TOKEN``."""
    stem = _ENV_UNSAFE.sub("_", name.upper()).strip("_") or "API"
    if stem[0].isdigit():
        stem = "API_" + stem
    return f"{stem}_TOKEN"


def _url_with_auth(url: str, auth: Auth | None, token: str) -> str:
    if auth is None or auth.kind != "query":
        return shlex.quote(url)
    sep = "&" if "?" in url else "?"
    return shlex.quote(url + sep + quote(auth.name, safe="") + "=") + f'"${token}"'


def base_url_of(spec: dict[str, Any]) -> str:
    """The first server's URL (variables at their defaults); a relative one goes on the reserved example host."""
    url = base_url(spec)
    return url if re.match(r"^https?://", url, re.IGNORECASE) else "https://api.example.com" + url


def _query_string(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return ""
    return "?" + "&".join(f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in pairs)


def _form_encoded(fields: list[FormField]) -> str:
    return "&".join(f"{quote(f.key, safe='')}={quote(f.value, safe='')}" for f in fields)


def _curl_part(field: FormField) -> str:
    """One multipart part for curl. Only a file part reads a file, a fixed name, and only when the field's name
    cannot change what curl reads (``-F 'a=@/etc/passwd=@file'`` would send /etc/passwd=@file)."""
    if field.file and _PLAIN_NAME.fullmatch(field.key):
        return "--form " + shlex.quote(f"{field.key}=@{_FILE_NAME}")
    return "--form-string " + shlex.quote(f"{field.key}={field.value}")


def _js_part(field: FormField) -> str:
    if field.file:
        return f"form.append({_js(field.key)}, new Blob([]), {_js(_FILE_NAME)});  // the file's contents"
    if field.content_type is not None:
        return f"form.append({_js(field.key)}, new Blob([{_js(field.value)}], {{type: {_js(field.content_type)}}}));"
    return f"form.append({_js(field.key)}, {_js(field.value)});"


def _python_part(field: FormField) -> str:
    if field.file:
        return f'({_js(field.key)}, ({_js(_FILE_NAME)}, open({_js(_FILE_NAME)}, "rb")))'
    if field.content_type is not None:
        return f"({_js(field.key)}, (None, {_js(field.value)}, {_js(field.content_type)}))"
    return f"({_js(field.key)}, (None, {_js(field.value)}))"


def _header_value(text: str) -> str:
    """No line breaks or control characters in a header line (they would start another header)."""
    return _CONTROL.sub(" ", text)


def _body_text(media_type: str, value: Any) -> str:
    if is_json(media_type) or not isinstance(value, str):
        return dump_json(value)[:-1]  # json.dumps(indent=2, ensure_ascii=False), by the house encoder
    return value


def _js(text: str) -> str:
    """A double-quoted string literal valid in JavaScript and Python (ASCII only, so U+2028 is escaped)."""
    return encode_basestring_ascii(text)  # json.dumps(text) for a str, without its dispatch


def _py_literal(value: Any, indent: int, level: int = 1) -> str:
    """A Python literal for a JSON value (True/False/None), indented like json.dumps."""
    pad, inner = " " * (indent * (level - 1)), " " * (indent * level)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_js(str(k))}: {_py_literal(v, indent, level + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{inner}{_py_literal(v, indent, level + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if value is None:
        return "None"
    if isinstance(value, str):
        return _js(value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "None"
    return json.dumps(value)
