"""The background jobs a worker runs, built from the settings (one line per job)."""

from __future__ import annotations

from console.worker.alert_jobs import AlertsJob, TimersJob
from console.worker.job import Job
from console.worker.whatsapp import WhatsAppInbound
from store.settings import Settings

JOB_NAMES: tuple[str, ...] = ("replies", "retrain", "alerts", "timers", "whatsapp")


def build_jobs(settings: Settings, only: list[str] | None = None) -> list[Job]:
    """The jobs to run; ``only`` keeps the named ones (names from JOB_NAMES)."""
    from console.worker.reply_job import ReplyJob
    from console.worker.retrain_job import RetrainJob
    jobs: list[Job] = [
        ReplyJob(settings),
        RetrainJob(settings),
        AlertsJob(settings),
        TimersJob(settings),
    ]
    if settings.whatsapp_app_secret is not None:  # the webhook stores deliveries only when configured
        jobs.append(WhatsAppInbound(settings))
    return [job for job in jobs if not only or job.name in only]
