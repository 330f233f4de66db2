"""Issue 13, item 7: a store is given its legal entity from the command line; a
P.IVA with a wrong check digit is refused, not printed on every receipt."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app as cli
from core.db import Database
from core.stores.models import Location
from tests.support import Seeded


@pytest.fixture
def env(seeded_sqlite: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    monkeypatch.setenv("OMNITILL_DATABASE_URL", seeded_sqlite.url)
    monkeypatch.setenv("OMNITILL_VAR_DIR", str(tmp_path))
    return seeded_sqlite


def _store(url: str, code: str) -> tuple[str, str, str]:
    db = Database(url)
    try:
        with db.read() as session:
            store = session.get(Location, code)
            assert store is not None
            return store.legal_name, store.vat_number, store.legal_address
    finally:
        db.dispose()


def test_a_store_gets_its_legal_entity_and_a_wrong_vat_is_refused(env: Seeded) -> None:
    runner = CliRunner()
    done = runner.invoke(cli, ["store", "legal", "fi01", "--name", " Nuova  Galleria S.r.l.",
                               "--vat", "IT 12345670017", "--address", "Via Roma 1, Firenze"])
    assert done.exit_code == 0, done.output
    assert "FI01: Nuova Galleria S.r.l., P.IVA 12345670017" in done.output
    assert _store(env.url, "FI01") == ("Nuova Galleria S.r.l.", "12345670017",
                                       "Via Roma 1, Firenze")
    wrong = runner.invoke(cli, ["store", "legal", "FI01", "--name", "X S.r.l.",
                                "--vat", "12345670018"])
    assert wrong.exit_code == 1 and "not a valid P.IVA" in wrong.output
    assert _store(env.url, "FI01")[1] == "12345670017"  # unchanged
    ghost = runner.invoke(cli, ["store", "legal", "XX99", "--name", "X", "--vat",
                                "12345670017"])
    assert ghost.exit_code == 1 and "no store 'XX99'" in ghost.output
