"""One module per `packls` subcommand: NAME, HELP, add_arguments(parser) and run(args) -> exit code."""
