"""Mail adapters: SMTP, the console (development), and a list in memory (tests)."""
