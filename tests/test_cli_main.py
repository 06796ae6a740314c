"""The CLI as a front door: every command documented, fast start, version."""

import subprocess
import sys

from typer.testing import CliRunner

from lit import __version__
from lit.cli.main import COMMANDS, app

runner = CliRunner()


def test_cli_main_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"lit {__version__}"


def test_cli_main_every_command_has_help_text() -> None:
    for name in COMMANDS:
        command = next(c for c in app.registered_commands + app.registered_groups if (c.name or "") == name)
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output, name
        help_text = getattr(command, "help", None) or (command.callback.__doc__ if getattr(command, "callback", None) else None) \
            or (command.typer_instance.info.help if hasattr(command, "typer_instance") else None)
        assert help_text and help_text.strip(), f"command {name} has no help text"


def test_cli_main_help_does_not_import_torch() -> None:
    """`lit --help`, `lit query` and `lit parse` must start without torch/transformers (~2 s)."""
    code = (
        "import sys; from lit.cli.main import app; "
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, "
        "[m for m in ('torch', 'transformers') if m in sys.modules]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
