"""Artefacts: each generator turns the bundled document plus settings into one file; none touches the disk."""
