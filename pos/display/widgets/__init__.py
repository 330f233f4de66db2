"""The display's views, one per file; they show what the screen hands them."""

__all__ = ["ReceiptQr", "SaleView", "ThanksView", "WelcomeView"]

from pos.display.widgets.receipt_qr import ReceiptQr
from pos.display.widgets.sale_view import SaleView
from pos.display.widgets.thanks_view import ThanksView
from pos.display.widgets.welcome_view import WelcomeView
