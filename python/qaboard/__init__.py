"""qatools' stand-in for QA-Board's `qaboard` package, standard library only.

It offers what QA-Board entrypoints (`project.entrypoint`, e.g. qa/main.py) import when qatools
runs them: `qaboard.config` (is_ci, commit_id, commit_branch, project, config, ...),
`qaboard.run.RunContext` (the `context` given to `run`), `merge` and `slugify`. QA-Board's
command line (`qaboard.qa`) is not part of it: qa-run and qa-batch run the entrypoint.
"""
__version__ = "1.0.1+qatools"

from .config import config, is_ci, on_linux, on_lsf, on_vdi, on_windows  # noqa: F401
from .conventions import slugify  # noqa: F401
from .utils import merge  # noqa: F401
