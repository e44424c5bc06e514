"""Render certificate PDFs from the immutable certificate record (through core.pdf)."""

import base64

import segno
from django.conf import settings
from django.template.loader import render_to_string

from core.pdf import render_pdf


def qr_code_data_uri(url: str) -> str:
    """Return an SVG QR code for the URL as a data: URI (no file, no network)."""
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#212b32")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def certificate_pdf(certificate, *, verify_url: str, notes: list | None = None) -> bytes:
    """Return the certificate as an A4 PDF with its verification link and QR code."""
    html = render_to_string(
        "training/certificate_pdf.html",
        {
            "certificate": certificate,
            "verify_url": verify_url,
            "qr_code": qr_code_data_uri(verify_url),
            "notes": notes or [],
            "service_name": settings.SERVICE_NAME,
        },
    )
    return render_pdf(html)
