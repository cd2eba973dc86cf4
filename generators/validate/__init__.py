"""Structural validation of a bundled description against the OpenAPI 3.0/3.1/3.2 schemas."""
