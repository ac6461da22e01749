"""The one error type the CLI turns into a one-line message instead of a traceback."""


class ParetlError(Exception):
    """A problem the user can act on: a bad registry, a busy port, a warehouse that cannot be opened."""
