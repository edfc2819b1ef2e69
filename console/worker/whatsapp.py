"""The job that ingests the WhatsApp webhook's stored deliveries (collectors/wa_ingest.py)."""

from __future__ import annotations

from datetime import datetime

from collectors.wa_ingest import BATCH, IngestResult, ingest_pending
from console.worker.job import JobResult
from store.settings import Settings

MAX_BATCHES = 50  # a pass ends after this many full batches, so a flood never starves the other jobs


class WhatsAppInbound:
    name = "whatsapp"

    def __init__(self, settings: Settings):
        self.interval = settings.whatsapp_ingest_seconds
        self.numbers = dict(settings.whatsapp_numbers)

    def run(self, now: datetime) -> JobResult:
        """Batch after batch (each its own short transaction) until the queue is empty."""
        total = IngestResult()
        for _ in range(MAX_BATCHES):
            result = ingest_pending(numbers=self.numbers, now=now)
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(result, name))
            if result.deliveries < BATCH:
                break
        return JobResult(self.name, done=total.deliveries - total.failed, failed=total.failed,
                         note=total.note() if total.deliveries else "")
