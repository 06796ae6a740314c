"""The ``lit`` command line: one module per command, each a thin typer function over a
library call that never prints or exits on its own."""
