"""Many clips unattended: ``clip`` (one video to a measured set, shared with
``liftlens analyze``), ``job`` (the picklable unit of work), ``run`` (executor loop,
resumable manifest, summary.csv), ``library`` (sessions from batch results),
``labels`` (the ``--manifest`` CSV's rows and the clip each names)."""
