"""The customer display of a till: the screen that faces the shopper.

It signs in with its till's own device token (a display is bound to its till
by sharing that token, so there is no pairing to manage) and mirrors the
till's sale live from the core's event stream: the lines as they are rung up,
the total and the points, then the thank-you with the digital receipt QR.
"""

__all__ = ["DisplayApp", "make_display", "run"]

from pos.display.app import DisplayApp, make_display, run
