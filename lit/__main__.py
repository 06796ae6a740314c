"""``python -m lit ...`` runs the CLI where no ``lit`` script is installed (e.g. a GPU box
that imports the source tree from ``PYTHONPATH``)."""

from lit.cli.main import app

app(prog_name="lit")
