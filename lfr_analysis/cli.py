"""The ``lfr-analysis`` command.

Each subcommand lives in the module of its topic; this file only dispatches. It names each
handler's module by its dotted name and imports it (:func:`importlib.import_module`) only
when its subcommand is asked for, so that ``lfr-analysis --help`` stays fast: the one place
in the package where a module of the package is imported at run time rather than at the
top of a file (see ``docs/architecture.md``). Every handler takes the remaining arguments
as a list and returns an exit code. The dispatcher is also where layers that may not import
each other meet: :data:`HOOKS` hands a handler a function of a higher layer (the rebuild
gets the claims ledger, to say which published figures a new record changes), imported only
when it is called.
"""

from __future__ import annotations

import importlib
import sys

from lfr_analysis import __version__

__all__ = ["HOOKS", "SUBCOMMANDS", "main"]

#: subcommand -> ("module", "function", one-line help)
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "report": (
        "lfr_analysis.report",
        "main",
        "execute every notebook and build the HTML report in build/",
    ),
    "data": (
        "lfr_analysis.rebuild.cli",
        "main",
        "fetch the Met's PDFs, rebuild data/deployments.csv, or check it (--check)",
    ),
    "export": (
        "lfr_analysis.export",
        "main",
        "write the data files as CSV, Parquet, Excel and Stata, with codebooks "
        "(also as 'data export')",
    ),
    "claims": (
        "lfr_analysis.claims.cli",
        "main",
        "print the ledger of published figures and write build/claims.csv",
    ),
    "cite": (
        "lfr_analysis.cite",
        "main",
        "print how to cite the suite and the data version in use (text, BibTeX, CFF)",
    ),
    "student-copy": (
        "lfr_analysis.student_copy",
        "main",
        "write a copy of a notebook without solution cells and outputs",
    ),
}

#: (group, subcommand) -> top-level command that handles it: a group's subcommand that
#: lives in its own module, outside the group's parser.
NESTED: dict[tuple[str, str], str] = {
    ("data", "export"): "export",
}


#: subcommand -> {keyword argument: ("module", "function")} passed to its handler, lazily.
HOOKS: dict[str, dict[str, tuple[str, str]]] = {
    "data": {"ledger": ("lfr_analysis.claims", "ledger")},
}


def _lazy(module_name: str, function_name: str):
    """Return a function that imports ``module_name`` and calls its function when called."""

    def call(*args, **kwargs):
        return getattr(importlib.import_module(module_name), function_name)(*args, **kwargs)

    return call


def _usage() -> str:
    width = max(len(name) for name in SUBCOMMANDS)
    lines = ["usage: lfr-analysis COMMAND [ARGS...]", "", "commands:"]
    for name, (_, _, text) in SUBCOMMANDS.items():
        lines.append(f"  {name.ljust(width)}  {text}")
    lines.append("")
    lines.append("Run 'lfr-analysis COMMAND --help' for a command's options.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0 if args else 2
    if args[0] == "--version":
        print(__version__)
        return 0
    name, rest = args[0], args[1:]
    if rest and (name, rest[0]) in NESTED:
        name, rest = NESTED[name, rest[0]], rest[1:]
    if name not in SUBCOMMANDS:
        print(f"lfr-analysis: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, function_name, _ = SUBCOMMANDS[name]
    handler = getattr(importlib.import_module(module_name), function_name)
    hooks = {keyword: _lazy(*target) for keyword, target in HOOKS.get(name, {}).items()}
    return int(handler(rest, **hooks) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
