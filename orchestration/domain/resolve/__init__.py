"""One real-world thing, one key: cross-document resolution."""
