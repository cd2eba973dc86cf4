"""The docs site: the Redoc reference page and its options."""
