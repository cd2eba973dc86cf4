"""Breaking-change diff between two OpenAPI descriptions: semantic, direction-aware, with a rule catalogue."""
