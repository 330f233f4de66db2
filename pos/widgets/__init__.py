"""Widgets of the till that more than one screen uses, and the sale screen's own."""

from pos.widgets.basket_table import BasketTable
from pos.widgets.sale_totals import SaleTotals
from pos.widgets.scan_field import ScanField

__all__ = ["BasketTable", "SaleTotals", "ScanField"]
