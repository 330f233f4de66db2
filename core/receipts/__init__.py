"""The digital receipt: a sale as a small web page at a signed, unguessable link
(``/r/<code>``), the one the customer display's QR and the e-receipt email carry."""

from core.receipts.links import receipt_code, receipt_url, verified_number

__all__ = ["receipt_code", "receipt_url", "verified_number"]
