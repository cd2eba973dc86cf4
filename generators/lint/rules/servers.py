"""Generic rules about servers: present, valid URLs, no placeholder hosts, declared variables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generators.core.diagnostics import Severity
from generators.core.pointer import pointer_join
from generators.core.shape import as_dict, as_list
from generators.lint.context import LintContext
from generators.lint.registry import Finding, rule

E, W = Severity.ERROR, Severity.WARN
_SERVER_VAR = re.compile(r"\{([^}]+)\}")
# example.com (or a subdomain) or localhost as a whole name anywhere in the url: after its start, a / or a ., and
# before its end, a /, : or ? (Redocly's no-server-example.com); no nested repetition: linear in the url's length
_PLACEHOLDER_HOST = re.compile(r"(?:^|(?<=[/.]))(?:example\.com|localhost)(?=[/:?]|\Z)")


@rule(
    "no-empty-servers", E, "servers is present and not empty.", redocly="no-empty-servers", spectral="oas3-api-servers"
)
def no_empty_servers(ctx: LintContext) -> Iterator[Finding]:
    if not ctx.document.get("servers"):
        yield Finding("", "the API declares no servers", "add servers with the production base URL")


def _servers(ctx: LintContext) -> Iterator[tuple[dict[str, Any], str]]:
    for index, server in enumerate(as_list(ctx.document.get("servers"))):
        if isinstance(server, dict):
            yield server, f"/servers/{index}"
    for op in ctx.operations:
        for owner, base in ((op.path_item, op.path_item_pointer), (op.node, op.pointer)):
            for index, server in enumerate(as_list(owner.get("servers"))):
                if isinstance(server, dict):
                    yield server, pointer_join(base, "servers", index)


@rule(
    "server-url-valid",
    E,
    "Server URLs are absolute http(s) URLs or relative paths, without trailing slash.",
    redocly="no-server-trailing-slash",
    spectral="oas3-server-trailing-slash",
)
def server_url_valid(ctx: LintContext) -> Iterator[Finding]:
    for server, pointer in _servers(ctx):
        url = server.get("url")
        if not isinstance(url, str) or not url:
            yield Finding(pointer, "server has no url", "add url: https://api.example.org/v1")
            continue
        if not re.match(r"^(https?://[^\s/]+|/|\{[^}]+\})", url) or " " in url:
            yield Finding(
                pointer_join(pointer, "url"),
                f"server url '{url}' is not a valid URL",
                "use an absolute https:// URL or a path starting with /",
            )
        elif url.endswith("/") and url != "/":
            yield Finding(
                pointer_join(pointer, "url"),
                f"server url '{url}' ends with a slash",
                "drop the trailing slash: paths start with one",
            )


@rule(
    "no-server-example.com", W, "Server URLs do not point at example.com or localhost.", redocly="no-server-example.com"
)
def no_server_example(ctx: LintContext) -> Iterator[Finding]:
    for server, pointer in _servers(ctx):
        url = server.get("url")
        if isinstance(url, str) and _PLACEHOLDER_HOST.search(url):
            yield Finding(
                pointer_join(pointer, "url"), "server url points at example.com or localhost", "use the real host"
            )


@rule(
    "server-variables-valid",
    E,
    "Server URL variables are declared, used, and their default is in their enum.",
    redocly="no-undefined-server-variable",
    spectral="oas3-server-variables",
)
def server_variables(ctx: LintContext) -> Iterator[Finding]:
    for server, pointer in _servers(ctx):
        used = set(_SERVER_VAR.findall(str(server.get("url", ""))))
        declared = as_dict(server.get("variables"))
        for name in sorted(used - set(declared)):
            yield Finding(
                pointer_join(pointer, "url"),
                f"server variable '{name}' is not declared",
                f"add variables.{name} with a default",
            )
        for name, var in declared.items():
            var_pointer = pointer_join(pointer, "variables", name)
            if name not in used:
                yield Finding(var_pointer, f"server variable '{name}' is not used in the url", "remove it")
            enum = as_dict(var).get("enum")
            if isinstance(enum, list) and (not enum or as_dict(var).get("default") not in enum):
                yield Finding(
                    var_pointer,
                    f"server variable '{name}' has a default outside its enum",
                    "list the default in enum (and keep enum non-empty)",
                )
