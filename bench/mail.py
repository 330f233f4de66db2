"""The mailer's pace: planning mails from the event log, and sending them to a
real SMTP server (aiosmtpd on this machine, so the figure is the mailer's own
cost: composing, the pickup QR, one SMTP conversation per mail).

N orders of the demo history are announced ready for pickup among ``--noise``
unrelated events per order (stock changes), then one pass plans and sends them.

    .venv/bin/python -m bench.mail [--orders 200] [--noise 20] [--postgres URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, update

from core.db import Database
from core.events.service import emit
from core.migrate import upgrade
from core.notify.mailer import SmtpMailer
from core.notify.models import MailDelivery
from core.notify.runner import Notifier, Round
from core.orders.models import Order
from core.seed.demo import seed_demo
from core.settings import CoreSettings
from tests.api.mail_support import SmtpServer, free_port, mail_settings

SECRET = "bench-secret-" + "x" * 40


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--noise", type=int, default=20)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    url = args.postgres or f"sqlite:///{folder / 'omnitill.db'}"
    upgrade(url)
    db = Database(url)
    seed_demo(db, var_dir=folder)
    server = SmtpServer(free_port())
    server.start()
    mail = mail_settings(server.port)
    core = CoreSettings(database_url=url, var_dir=folder, secret=SECRET)
    notifier = Notifier(db, core=core, mail=mail, mailer=SmtpMailer(mail))
    notifier.plan_all()  # the cursor starts here
    with db.write() as session:
        orders = list(session.scalars(select(Order).where(Order.contact_email.is_not(None))
                                      .order_by(Order.id).limit(args.orders)))
        session.execute(update(Order).where(Order.id.in_([o.id for o in orders]))
                        .values(pickup_store_code="MI01"))
        for order in orders:
            for n in range(args.noise):
                emit(session, "stock.changed", store="MI01", subject=f"NOISE-{n}")
            emit(session, "order.ready_for_pickup", store="MI01", subject=order.number)
    started = time.perf_counter()
    planned = notifier.plan_all()
    planning = time.perf_counter() - started
    done = Round(planned=planned)
    started = time.perf_counter()
    while True:
        before = done.sent
        notifier.send_due(done)
        if done.sent == before:
            break
    sending = time.perf_counter() - started
    with db.read() as session:
        rows = list(session.scalars(select(MailDelivery.status)))
    server.stop()
    db.dispose()
    kind = "PostgreSQL" if args.postgres else "SQLite"
    events = len(orders) * (args.noise + 1)
    print(f"{kind}: {events} events ({len(orders)} ready for pickup) planned in "
          f"{planning * 1000:.0f} ms; {done.sent} mails sent in {sending:.2f} s "
          f"({done.sent / sending:.0f}/s, {sending / max(1, done.sent) * 1000:.1f} ms each); "
          f"received {server.inbox.count()}; statuses {sorted(set(rows))}")


if __name__ == "__main__":
    main()
