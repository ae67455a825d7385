"""``researchlib <command> --help`` describes every option of every subcommand."""
import argparse

from researchlib.cli import build_parser


def test_every_option_of_every_subcommand_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, p in sub.choices.items():
        for action in p._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert not missing, missing
    assert set(sub.choices) >= {"check", "report", "analyse", "teach", "fetch", "init-study"}
