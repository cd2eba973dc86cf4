"""The Postman v2.1 collection and its environment."""
