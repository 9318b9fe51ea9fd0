"""Account and session use cases."""
