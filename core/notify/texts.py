"""The words of every mail, in Italian, English and Spanish.

Plain ``string.Template`` strings keyed by language and mail kind, kept in this one
module so they can move to the gettext catalogs whole. ``$name`` is the customer's
first name (or a neutral greeting for a guest); the other placeholders are listed
beside each kind in :mod:`core.notify.compose`.
"""

from __future__ import annotations

from string import Template

__all__ = ["LANGUAGES", "LOCALES", "TEXTS", "WEEKDAYS", "text"]

LANGUAGES = ("it", "en", "es")

LOCALES = {"it": "it_IT", "en": "en_IE", "es": "es_ES"}
"""Babel locale of each language, for amounts (euros written the Irish way in English)."""

WEEKDAYS: dict[str, dict[str, str]] = {
    "it": {"mon": "lunedì", "tue": "martedì", "wed": "mercoledì", "thu": "giovedì",
           "fri": "venerdì", "sat": "sabato", "sun": "domenica"},
    "en": {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
           "fri": "Friday", "sat": "Saturday", "sun": "Sunday"},
    "es": {"mon": "lunes", "tue": "martes", "wed": "miércoles", "thu": "jueves",
           "fri": "viernes", "sat": "sábado", "sun": "domingo"},
}

TEXTS: dict[str, dict[str, str]] = {
    "it": {
        "hello": "Ciao $name,",
        "hello_guest": "Buongiorno,",
        "closed": "chiuso",
        "signature": "A presto,\n$store",
        "receipt.subject": "La tua ricevuta $number - $store",
        "receipt.body": "grazie per il tuo acquisto da $store.\n"
                        "Totale: $total (ordine $number).",
        "receipt.link": "La ricevuta digitale è qui, conservala per la garanzia e i resi:\n$url",
        "receipt.no_link": "Conserva questo messaggio: il numero d'ordine serve per i resi.",
        "pickup_ready.subject": "Il tuo ordine $number è pronto per il ritiro",
        "pickup_ready.body": "il tuo ordine $number è pronto: puoi ritirarlo da $store, "
                             "$address.\nLo teniamo da parte per $days giorni.",
        "pickup_ready.code": "Mostra questo codice alla cassa o al totem "
                             "(oppure il numero d'ordine e il tuo cognome):",
        "pickup_ready.hours": "Orari di apertura:",
        "refund.subject": "Il tuo reso $number è stato rimborsato",
        "refund.body": "abbiamo rimborsato il tuo reso $number (ordine $order): $amount, $how.",
        "refund.original": "sul metodo di pagamento originale",
        "refund.store_credit": "come buono da spendere nei nostri negozi",
    },
    "en": {
        "hello": "Hello $name,",
        "hello_guest": "Hello,",
        "closed": "closed",
        "signature": "See you soon,\n$store",
        "receipt.subject": "Your receipt $number - $store",
        "receipt.body": "thank you for shopping at $store.\nTotal: $total (order $number).",
        "receipt.link": "Your digital receipt is here; keep it for the guarantee and returns:"
                        "\n$url",
        "receipt.no_link": "Keep this message: the order number is what a return needs.",
        "pickup_ready.subject": "Your order $number is ready for pickup",
        "pickup_ready.body": "your order $number is ready: collect it at $store, $address.\n"
                             "We keep it for you for $days days.",
        "pickup_ready.code": "Show this code at the till or the kiosk "
                             "(or give the order number and your surname):",
        "pickup_ready.hours": "Opening hours:",
        "refund.subject": "Your return $number is refunded",
        "refund.body": "we have refunded your return $number (order $order): $amount, $how.",
        "refund.original": "to the way you paid",
        "refund.store_credit": "as store credit to spend in our shops",
    },
    "es": {
        "hello": "Hola $name:",
        "hello_guest": "Hola:",
        "closed": "cerrado",
        "signature": "Hasta pronto,\n$store",
        "receipt.subject": "Tu recibo $number - $store",
        "receipt.body": "gracias por tu compra en $store.\nTotal: $total (pedido $number).",
        "receipt.link": "Tu recibo digital está aquí; guárdalo para la garantía y las "
                        "devoluciones:\n$url",
        "receipt.no_link": "Guarda este mensaje: el número de pedido sirve para devoluciones.",
        "pickup_ready.subject": "Tu pedido $number está listo para recoger",
        "pickup_ready.body": "tu pedido $number está listo: puedes recogerlo en $store, "
                             "$address.\nLo guardamos durante $days días.",
        "pickup_ready.code": "Muestra este código en la caja o en el quiosco "
                             "(o di el número de pedido y tu apellido):",
        "pickup_ready.hours": "Horario de apertura:",
        "refund.subject": "Tu devolución $number ha sido reembolsada",
        "refund.body": "hemos reembolsado tu devolución $number (pedido $order): $amount, $how.",
        "refund.original": "en el medio de pago original",
        "refund.store_credit": "como saldo para gastar en nuestras tiendas",
    },
}


def text(language: str, key: str, **values: object) -> str:
    """The text ``key`` in ``language`` (Italian when the language is not one we
    write), its placeholders filled."""
    words = TEXTS.get(language, TEXTS["it"])
    return Template(words[key]).substitute({k: str(v) for k, v in values.items()})
