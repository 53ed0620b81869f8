"""The one exception a build stage raises for a failure the user must see."""


class BuildError(Exception):
    """A stage could not produce its output; the message says what and how to fix it."""


class UsageError(BuildError):
    """The command was asked for something it cannot do as given (exit status 2)."""
