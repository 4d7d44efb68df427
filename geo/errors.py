"""Errors that reach users: the message is French and names the file and the fix."""


class GeoError(Exception):
    """An error whose message can be shown as is to an officer."""
