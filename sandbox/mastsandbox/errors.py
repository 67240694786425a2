"""Errors that services report to the client as a MAST ERROR envelope."""


class ServiceError(Exception):
    """A failure answered as ``{"status" : "ERROR","msg" : <message>}``."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def invalid_column(name):
    """SQL Server's message for an unknown column."""
    return ServiceError("Invalid column name '%s'." % name)
