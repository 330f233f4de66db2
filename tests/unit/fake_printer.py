"""A network receipt printer on 127.0.0.1 that misbehaves on purpose.

It answers the real-time status requests (DLE EOT 1, 2, 4) and ``GS r 1`` with
the bytes the Epson ESC/POS reference gives, and can be out of paper from the
start, run out after some bytes, hang up after some bytes, or never answer
status at all. (emupos does paper out and cover open too; what it cannot do is
drop a connection halfway, or run out mid-job at a byte we choose.)
"""

from __future__ import annotations

import socket
import struct
import threading

DLE_EOT = b"\x10\x04"
GS_R = b"\x1dr"
ONLINE, OFFLINE = 0x12, 0x1A          # DLE EOT 1: fixed bits, bit 3 offline
NO_CAUSE, PAPER_END = 0x12, 0x32      # DLE EOT 2: bit 5 printing stopped by paper end
PAPER_OK, NO_PAPER = 0x12, 0x7E       # DLE EOT 4: bits 2-3 near end, 5-6 not present


class FakePrinter:
    def __init__(self, *, paper_out: bool = False, paper_out_after: int | None = None,
                 drop_after: int | None = None, answers_status: bool = True) -> None:
        self.paper_out = paper_out
        self.paper_out_after = paper_out_after
        self.drop_after = drop_after
        self.answers_status = answers_status
        self.jobs: list[bytes] = []
        """Print data of each connection, status requests taken out."""
        self.hung_up = threading.Event()
        """Set when the till closed its end of a connection."""
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def config(self) -> str:
        """What ``OMNITILL_PRINTER`` would say for it."""
        return f"network:127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.close()

    def wait_hung_up(self, seconds: float = 5) -> bool:
        return self.hung_up.wait(seconds)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                self._talk(connection)

    def _talk(self, connection: socket.socket) -> None:
        job = bytearray()
        self.jobs.append(b"")
        pending = b""
        while True:
            try:
                data = connection.recv(4096)
            except OSError:
                return
            if not data:
                self.hung_up.set()
                return
            pending += data
            while pending:
                if pending.startswith(DLE_EOT) or pending.startswith(GS_R):
                    if len(pending) < 3:
                        break
                    self._answer(connection, pending[:3], len(job))
                    pending = pending[3:]
                    continue
                cut = min((i for i in (pending.find(DLE_EOT, 1), pending.find(GS_R, 1))
                           if i > 0), default=len(pending))
                job += pending[:cut]
                pending = pending[cut:]
                self.jobs[-1] = bytes(job)
                if self.drop_after is not None and len(job) >= self.drop_after:
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                          struct.pack("ii", 1, 0))
                    return  # hang up mid-job (a reset, as a printer that lost power)

    def _answer(self, connection: socket.socket, request: bytes, printed: int) -> None:
        if not self.answers_status:
            return
        out = self.paper_out or (self.paper_out_after is not None
                                 and printed >= self.paper_out_after)
        n = request[2]
        if request.startswith(GS_R):
            if out:
                return  # held behind the job, as a real printer holds it
            reply = 0x00
        elif n == 1:
            reply = OFFLINE if out else ONLINE
        elif n == 2:
            reply = PAPER_END if out else NO_CAUSE
        elif n == 4:
            reply = NO_PAPER if out else PAPER_OK
        else:
            return
        connection.sendall(bytes([reply]))
