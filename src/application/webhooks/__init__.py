"""Webhooks: a user's endpoints that receive their task and tag events (SPEC 15)."""
