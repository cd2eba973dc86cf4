"""`atlas-spec serve`: a local preview of the docs site that rebuilds itself on every change."""
