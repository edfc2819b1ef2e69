"""`tanggap worker` and `tanggap collect`: the background work, and the collectors alone."""

from __future__ import annotations

import logging

import typer

from collectors.sources import SOURCE_NAMES
from console.cli.app import CommandError, app, bad_argument, echo, friendly_errors, one_of, require_schema
from console.worker.jobs import JOB_NAMES

SOURCE_OPTION = typer.Option([], "--source", callback=one_of(SOURCE_NAMES),
                             help="twitter (runs twitter-own with it), twitter-own, twitter-search, facebook "
                                  "or sms (repeatable; default: every configured source)")


@app.command("collect")
@friendly_errors
def collect(once: bool = typer.Option(False, "--once", help="run each source once, then exit"),
            loop: bool = typer.Option(False, "--loop", help="keep collecting on each source's interval"),
            source: list[str] = SOURCE_OPTION,
            verbose: bool = typer.Option(False, "--verbose", "-v", help="log each request")) -> None:
    """Fetch new mentions from X, the Facebook Page and the SMS centre into cases.

    The collectors alone: `tanggap worker` runs them together with the background jobs.
    A source without settings is skipped with a note; naming it with --source is an
    error that lists the missing settings. SIGTERM finishes the current batch, then exits.

    Example: tanggap collect --once --source twitter
    """
    if once == loop:
        raise bad_argument("--once/--loop", "say either --once or --loop")
    run_worker(once=once, sources=source, jobs=None, verbose=verbose, need_sources=True)


@app.command("worker")
@friendly_errors
def worker(once: bool = typer.Option(False, "--once", help="run each source and each job once, then exit"),
           loop: bool = typer.Option(False, "--loop", help="keep running, each on its own interval"),
           source: list[str] = SOURCE_OPTION,
           job: list[str] = typer.Option([], "--job", callback=one_of(JOB_NAMES),
                                         help="run only this background job (repeatable; default: every job)"),
           no_collect: bool = typer.Option(False, "--no-collect", help="run the jobs only, no collector"),
           verbose: bool = typer.Option(False, "--verbose", "-v", help="log each request")) -> None:
    """Run the background work: the collectors and the jobs (sending replies, alerts, timers).

    `make run` starts it beside the console; production runs one or more (README:
    deployment). Unconfigured sources are skipped with a note. SIGTERM lets every current
    batch and pass finish, then exits.

    Example: tanggap worker --loop
    """
    if once == loop:
        raise bad_argument("--once/--loop", "say either --once or --loop")
    run_worker(once=once, sources=None if no_collect else source, jobs=job, verbose=verbose,
               collect=not no_collect)


def run_worker(*, once: bool, sources: list[str] | None, jobs: list[str] | None, verbose: bool,
               collect: bool = True, need_sources: bool = False) -> None:
    """Build the configured sources and jobs and run them once or until SIGTERM."""
    from collectors.errors import MissingSettings
    from collectors.poller import Poller
    from collectors.sources import build_sources
    from console.worker.jobs import build_jobs
    from console.worker.runner import JobRunner
    from store.redaction import configure_logging
    from store.settings import get_settings
    # Redaction sits on the handlers, so -v may show every request but never a token.
    configure_logging(logging.DEBUG if verbose else logging.INFO)
    require_schema()  # the poller records a failing source and carries on; a missing schema is not that
    settings = get_settings()
    built: list = []
    if collect:
        try:
            built, notes = build_sources(settings, sources or None)
        except (MissingSettings, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for note in notes:
            echo(note)
    if need_sources and not built:
        raise CommandError("no source is configured (see collectors/README.md for the settings)")
    poller = Poller(built)
    poller.install_signal_handlers()
    runner = JobRunner([] if jobs is None else build_jobs(settings, jobs or None), stop=poller.stop_requested)
    if once:
        _run_once(poller, runner)
        return
    _run_forever(poller, runner)


def _run_once(poller, runner) -> None:
    failed = False
    for summary in poller.run_once():
        echo(summary.line())
        failed = failed or (summary.status not in ("ok",) and summary.skipped is None)
    for result in runner.run_once():
        echo(result.line())
        failed = failed or result.failed > 0
    if failed:
        raise typer.Exit(1)


def _run_forever(poller, runner) -> None:
    """Job threads beside the poller's; the main thread waits on the poller (or, with no
    source, on the stop event) so that it stays free for signals."""
    threads = runner.threads(on_result=lambda r: echo(r.line()))
    for thread in threads:
        thread.start()
    try:
        if poller.sources:
            poller.run_forever(on_summary=lambda s: echo(s.line()))
        else:
            while not poller.stop_requested.wait(1.0):
                pass
    finally:
        poller.stop_requested.set()
        for thread in threads:
            thread.join()
