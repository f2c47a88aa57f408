"""Every command has help text and is documented in the README (as sqlite-utils does)."""

from click.testing import CliRunner

from bookbuild.cli import main

from conftest import PROJECT


def test_every_command_has_help_and_is_in_the_readme():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    runner = CliRunner()
    for name, command in main.commands.items():
        assert command.help, name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output
        assert f"bookbuild {name} " in readme, f"'bookbuild {name}' is not in the README"
