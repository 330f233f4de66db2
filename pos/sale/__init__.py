"""The sale screen's parts: scans (:mod:`.scan`), basket lines (:mod:`.lines`),
discounts (:mod:`.discounts`) and keys (:mod:`.keys`). Tenders are in
:mod:`pos.tenders`; the screen itself (:mod:`pos.screens.sell`) only wires them."""
