"""The ``liftlens`` command line: one module per subcommand."""
