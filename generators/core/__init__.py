"""The lowest layer: diagnostics, settings, JSON pointers, HTTP methods, output helpers. Imports no other layer."""
