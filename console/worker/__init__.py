"""The worker: everything that runs in the background beside the console.

``tanggap worker`` runs the collectors (each configured source on its schedule, as
``tanggap collect`` does) and the background jobs that ``console.worker.jobs.build_jobs``
lists (the reply sender, alerts and their timers, scheduled retraining). ``make run``
starts it together with the console. Each job is one pass at a time, safe to run again
after a crash; several workers may share a PostgreSQL database.
"""
