"""Errors that services raise for people to read.

Services do not import Flask, so they cannot translate. They raise these with
an English message marked by :func:`N_` (for extraction) and named
parameters; the web layer translates at display time and answers with the
error's HTTP status. ``field`` names the form field the message belongs beside.
"""
from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for translation without translating it now."""
    return message


class DomainError(Exception):
    status = 422

    def __init__(self, message: str, *, field: str | None = None, **params):
        self.message = message
        self.field = field
        self.params = params
        super().__init__(message % params if params else message)

    def translate(self, gettext) -> str:
        return gettext(self.message, **self.params)


class Invalid(DomainError):
    """The input breaks a rule; nothing was written."""

    status = 422


class Forbidden(DomainError):
    """The person may not do this to this record."""

    status = 403


class Conflict(DomainError):
    """The record moved on (decided, withdrawn, switched off) since it was shown."""

    status = 409


class NotFound(DomainError):
    status = 404
