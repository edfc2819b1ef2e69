"""The job that ingests the WhatsApp webhook's stored deliveries (collectors/wa_ingest.py)."""

from __future__ import annotations

from datetime import datetime

from collectors.wa_ingest import ingest_pending
from console.worker.job import JobResult
from store.settings import Settings


class WhatsAppInbound:
    name = "whatsapp"

    def __init__(self, settings: Settings):
        self.interval = settings.whatsapp_ingest_seconds
        self.numbers = dict(settings.whatsapp_numbers)

    def run(self, now: datetime) -> JobResult:
        result = ingest_pending(numbers=self.numbers, now=now)
        return JobResult(self.name, done=result.deliveries - result.failed, failed=result.failed,
                         note=result.note() if result.deliveries else "")
