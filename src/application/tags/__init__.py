"""Tag use cases."""
