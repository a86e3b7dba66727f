"""HTML to PDF, one way for every PDF stdplus makes (the annual report, disposition tables,
certificates): print the page with Debian's headless Chromium, locally, with no network.

A page meant for print sets its own size and margins in CSS (`@page`), embeds its images (data:
URIs) and its styles, because Chromium reads the file from a temporary folder.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from stdplus.core.errors import ApplicationError

CHROMIUM = "/usr/bin/chromium"
TIMEOUT_S = 300


def chromium() -> str:
    """The browser's path, or a clear error naming the package to install."""
    browser = shutil.which("chromium") or CHROMIUM
    if not Path(browser).exists():
        raise ApplicationError(
            _("Chromium is needed for PDF output: apt-get install chromium"), code="no_chromium"
        )
    return browser


def html_to_pdf(html: str, out: Path, *, header_footer: bool = False) -> Path:
    """Print `html` to the PDF file `out` and return it. `header_footer` keeps Chromium's own
    header and footer (date, title, page numbers); pages that number themselves leave it off."""
    browser = chromium()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.html"
        source.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            *([] if header_footer else ["--no-pdf-header-footer"]),
            f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={out.resolve()}",
            source.as_uri(),
        ]
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
        if run.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            raise ApplicationError(
                _("Chromium could not print the page: %(error)s"),
                params={"error": run.stderr[-500:]},
                code="pdf",
            )
    return out


def html_to_pdf_bytes(html: str, *, header_footer: bool = False) -> bytes:
    """The same, returning the PDF's bytes (for a download)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.pdf"
        html_to_pdf(html, out, header_footer=header_footer)
        return out.read_bytes()
