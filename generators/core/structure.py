"""Which OpenAPI object stands where: the bundler needs it to know what a ``$ref`` at a position means.

Each context names an object type. ``child_context`` says what the value under a key is; ``COMPONENT_KIND``
says under which ``components/<kind>`` a ref standing in that context is hoisted (contexts without a kind,
such as path items, operations and free data, get their refs inlined).
"""

from __future__ import annotations

from generators.core.operations import ADDITIONAL_OPERATIONS, HTTP_METHODS

ROOT = "root"
ANY = "any"
LITERAL = "literal"
SCHEMA = "schema"
SCHEMA_MAP = "schema-map"
SCHEMA_LIST = "schema-list"
PATHS = "paths"
PATH_ITEM = "path-item"
PATH_ITEM_MAP = "path-item-map"
OPERATION = "operation"
OPERATION_MAP = "operation-map"
PARAMETER = "parameter"
PARAMETER_LIST = "parameter-list"
PARAMETER_MAP = "parameter-map"
REQUEST_BODY = "request-body"
REQUEST_BODY_MAP = "request-body-map"
RESPONSES = "responses"
RESPONSE = "response"
RESPONSE_MAP = "response-map"
MEDIA_TYPE_MAP = "media-type-map"
MEDIA_TYPE = "media-type"
ENCODING_MAP = "encoding-map"
ENCODING = "encoding"
ENCODING_LIST = "encoding-list"
HEADER = "header"
HEADER_MAP = "header-map"
EXAMPLE = "example"
EXAMPLE_MAP = "example-map"
LINK = "link"
LINK_MAP = "link-map"
CALLBACK = "callback"
CALLBACK_MAP = "callback-map"
SECURITY_SCHEME = "security-scheme"
SECURITY_SCHEME_MAP = "security-scheme-map"
COMPONENTS = "components"
DISCRIMINATOR = "discriminator"

COMPONENT_KIND = {
    SCHEMA: "schemas",
    PARAMETER: "parameters",
    REQUEST_BODY: "requestBodies",
    RESPONSE: "responses",
    HEADER: "headers",
    EXAMPLE: "examples",
    LINK: "links",
    CALLBACK: "callbacks",
    SECURITY_SCHEME: "securitySchemes",
}

# Maps and lists whose every member is one context.
MEMBER_CONTEXT = {
    SCHEMA_MAP: SCHEMA,
    SCHEMA_LIST: SCHEMA,
    PATHS: PATH_ITEM,
    PATH_ITEM_MAP: PATH_ITEM,
    PARAMETER_LIST: PARAMETER,
    PARAMETER_MAP: PARAMETER,
    REQUEST_BODY_MAP: REQUEST_BODY,
    RESPONSES: RESPONSE,
    RESPONSE_MAP: RESPONSE,
    MEDIA_TYPE_MAP: MEDIA_TYPE,
    ENCODING_MAP: ENCODING,
    ENCODING_LIST: ENCODING,
    OPERATION_MAP: OPERATION,
    HEADER_MAP: HEADER,
    EXAMPLE_MAP: EXAMPLE,
    LINK_MAP: LINK,
    CALLBACK_MAP: CALLBACK,
    CALLBACK: PATH_ITEM,
    SECURITY_SCHEME_MAP: SECURITY_SCHEME,
}

# Every kind under components, in the order a bundle writes them.
COMPONENT_KINDS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "mediaTypes",
)
# JSON Schema keywords whose values are schemas: maps of schemas, lists of schemas, one schema.
SCHEMA_MAP_KEYWORDS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
SCHEMA_LIST_KEYWORDS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_ONE_KEYWORDS = (
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
    "contentSchema",
    "items",
)

_SCHEMA_KEYS = {
    **dict.fromkeys(SCHEMA_MAP_KEYWORDS, SCHEMA_MAP),
    **dict.fromkeys(SCHEMA_ONE_KEYWORDS, SCHEMA),
    **dict.fromkeys(SCHEMA_LIST_KEYWORDS, SCHEMA_LIST),
    **dict.fromkeys(("example", "examples", "default", "enum", "const"), LITERAL),
    "discriminator": DISCRIMINATOR,
}

_OBJECT_KEYS: dict[str, dict[str, str]] = {
    ROOT: {"paths": PATHS, "webhooks": PATH_ITEM_MAP, "components": COMPONENTS},
    COMPONENTS: {
        "schemas": SCHEMA_MAP,
        "responses": RESPONSE_MAP,
        "parameters": PARAMETER_MAP,
        "examples": EXAMPLE_MAP,
        "requestBodies": REQUEST_BODY_MAP,
        "headers": HEADER_MAP,
        "securitySchemes": SECURITY_SCHEME_MAP,
        "links": LINK_MAP,
        "callbacks": CALLBACK_MAP,
        "pathItems": PATH_ITEM_MAP,
        "mediaTypes": MEDIA_TYPE_MAP,
    },
    PATH_ITEM: {
        **dict.fromkeys(HTTP_METHODS, OPERATION),
        ADDITIONAL_OPERATIONS: OPERATION_MAP,
        "parameters": PARAMETER_LIST,
    },
    OPERATION: {
        "parameters": PARAMETER_LIST,
        "requestBody": REQUEST_BODY,
        "responses": RESPONSES,
        "callbacks": CALLBACK_MAP,
    },
    PARAMETER: {"schema": SCHEMA, "content": MEDIA_TYPE_MAP, "example": LITERAL, "examples": EXAMPLE_MAP},
    HEADER: {"schema": SCHEMA, "content": MEDIA_TYPE_MAP, "example": LITERAL, "examples": EXAMPLE_MAP},
    REQUEST_BODY: {"content": MEDIA_TYPE_MAP},
    RESPONSE: {"headers": HEADER_MAP, "content": MEDIA_TYPE_MAP, "links": LINK_MAP},
    MEDIA_TYPE: {
        "schema": SCHEMA,
        "itemSchema": SCHEMA,
        "example": LITERAL,
        "examples": EXAMPLE_MAP,
        "encoding": ENCODING_MAP,
        "prefixEncoding": ENCODING_LIST,
        "itemEncoding": ENCODING,
    },
    ENCODING: {
        "headers": HEADER_MAP,
        "encoding": ENCODING_MAP,
        "prefixEncoding": ENCODING_LIST,
        "itemEncoding": ENCODING,
    },
    EXAMPLE: {"value": LITERAL, "dataValue": LITERAL},
    LINK: {"requestBody": LITERAL, "parameters": LITERAL},
    SCHEMA: _SCHEMA_KEYS,
}


def child_context(context: str, key: str) -> str:
    """The context of the value found under ``key`` of an object in ``context``."""
    if context in MEMBER_CONTEXT:
        return MEMBER_CONTEXT[context]
    if context in (LITERAL, ANY):
        return context
    if key.startswith("x-"):
        return ANY
    return _OBJECT_KEYS.get(context, {}).get(key, ANY)


def item_context(context: str) -> str:
    """The context of the members of a list found in ``context``."""
    if context in MEMBER_CONTEXT:
        return MEMBER_CONTEXT[context]
    if context == SCHEMA:  # draft-04 style `items: [...]`
        return SCHEMA
    return LITERAL if context == LITERAL else ANY
