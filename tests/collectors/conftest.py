from __future__ import annotations

import sqlite3

import pytest

from tests.collectors.fakes import Clock, FakeAPI


@pytest.fixture
def fake_api():
    api = FakeAPI()
    yield api
    api.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def settings_env(monkeypatch):
    """Set TANGGAP_ settings for a test and return fresh Settings."""
    def apply(**values):
        from store.settings import get_settings
        for key, value in values.items():
            monkeypatch.setenv(f"TANGGAP_{key.upper()}", str(value))
        get_settings.cache_clear()
        return get_settings()
    return apply


# Gammu SMSD's inbox table as its SQLite schema (docs/sql/sqlite.sql, schema version 17) creates it.
GAMMU_INBOX = """
CREATE TABLE gammu (Version INTEGER NOT NULL DEFAULT '0' PRIMARY KEY);
INSERT INTO gammu (Version) VALUES (17);
CREATE TABLE inbox (
  UpdatedInDB NUMERIC NOT NULL DEFAULT (datetime('now')),
  ReceivingDateTime NUMERIC NOT NULL DEFAULT (datetime('now')),
  Text TEXT NOT NULL,
  SenderNumber TEXT NOT NULL DEFAULT '',
  Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
  UDH TEXT NOT NULL,
  SMSCNumber TEXT NOT NULL DEFAULT '',
  Class INTEGER NOT NULL DEFAULT '-1',
  TextDecoded TEXT NOT NULL DEFAULT '',
  ID INTEGER PRIMARY KEY AUTOINCREMENT,
  RecipientID TEXT NOT NULL,
  Processed TEXT NOT NULL DEFAULT 'false',
  Status INTEGER NOT NULL DEFAULT '-1',
  CHECK (Coding IN
  ('Default_No_Compression','Unicode_No_Compression','8bit','Default_Compression','Unicode_Compression'))
);
CREATE TRIGGER update_inbox_time UPDATE ON inbox
  BEGIN
    UPDATE inbox SET UpdatedInDB = datetime('now') WHERE ID = old.ID;
  END;
"""


@pytest.fixture
def gammu(tmp_path, settings_env, db):
    path = tmp_path / "smsd.db"
    conn = sqlite3.connect(path)
    conn.executescript(GAMMU_INBOX)
    conn.commit()

    def receive(sender: str, text: str, wib: str, udh: str = "") -> None:
        conn.execute("INSERT INTO inbox (ReceivingDateTime, Text, SenderNumber, Coding, UDH, SMSCNumber, "
                     "TextDecoded, RecipientID) VALUES (?, ?, ?, 'Default_No_Compression', ?, '+6281100000', ?, "
                     "'smsd-banyuwangi')", (wib, text.encode().hex(), sender, udh, text))
        conn.commit()

    receive.dump = lambda: conn.execute("SELECT * FROM inbox ORDER BY ID").fetchall()
    receive.settings = settings_env(sms_gammu_url=f"sqlite:///{path}")
    yield receive
    conn.close()
