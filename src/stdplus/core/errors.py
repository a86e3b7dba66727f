"""The one application error type: a message a person can act on, and where it happened."""

from __future__ import annotations


class ApplicationError(Exception):
    """A failure caused by the input or the state of the data, not by a bug.

    `where` names the place (file, row, field) so that messages read like
    "data.csv, row 12, field 'id': 'GB/T' is a bare prefix without a number".
    """

    code = "invalid"

    def __init__(self, message: str, *, where: str = "", code: str | None = None) -> None:
        self.message = message
        self.where = where
        if code:
            self.code = code
        super().__init__(f"{where}: {message}" if where else message)
