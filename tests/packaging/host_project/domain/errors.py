class HostError(Exception):
    """An error of the host's own domain."""
