"""The one root exception type; its messages say what went wrong and what to do next."""

from __future__ import annotations


class PolicyExtractError(Exception):
    """Root of every error policy-extract raises on purpose."""


class DocumentRejected(PolicyExtractError):
    """A document that cannot be loaded, with its CONTRACT.md reason code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
