"""atlas-spec: bundle, validate, lint and publish a modular OpenAPI 3.x description."""

__version__ = "0.1.0"
