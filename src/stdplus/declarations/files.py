"""The text of an enterprise standard, uploaded: PDF or DOCX, told by its bytes, never run.

The type is read from the content (magic bytes), not from the name or the browser's word: a
PDF begins with "%PDF-"; a DOCX is a ZIP whose directory lists "[Content_Types].xml" and
"word/document.xml" (only the directory is read, nothing is extracted) and holds no macros
("vbaProject.bin"). The bytes are stored in the database and served back only as a download
(`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`), never opened on the
server.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from stdplus.core.errors import ApplicationError, Where

MAX_TEXT_BYTES = 10 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class StoredText:
    data: bytes
    name: str
    kind: str
    size: int
    sha256: str


def _docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def sniff(data: bytes) -> str | None:
    """ "pdf", "docx", or None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and _docx(data):
        return "docx"
    return None


def text_read(upload, *, field: str = "text") -> StoredText:
    """Read an uploaded file (anything with `.name`, `.size` and `.read()`), checked."""
    where = Where(field=field)
    name = (getattr(upload, "name", "") or "text").rsplit("/", 1)[-1][:200]
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_TEXT_BYTES:
        raise ApplicationError(
            _("%(name)s is %(size)s bytes; the text of a standard may be at most %(limit)s bytes."),
            params={"name": name, "size": size, "limit": MAX_TEXT_BYTES},
            where=where,
            code="file_too_large",
        )
    data = upload.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise ApplicationError(
            _("%(name)s is larger than %(limit)s bytes, the most a standard's text may be."),
            params={"name": name, "limit": MAX_TEXT_BYTES},
            where=where,
            code="file_too_large",
        )
    if not data:
        raise ApplicationError(
            _("%(name)s is empty."), params={"name": name}, where=where, code="file_empty"
        )
    kind = sniff(data)
    if kind is None:
        raise ApplicationError(
            _(
                "%(name)s is neither a PDF nor a Word (DOCX) document (judged by its content, "
                "not its name)."
            ),
            params={"name": name},
            where=where,
            code="file_type",
        )
    return StoredText(
        data=data,
        name=name,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
