"""Sending webhook deliveries over HTTP, to public addresses only."""
