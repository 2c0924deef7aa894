"""The names of QA-Board's `qaboard.config` that entrypoints import, for a run under qatools.

qatools' qa-run exports what it knows about the run to the command's environment; this module
reads it (QA_PROJECT_ROOT, QA_PROJECT, QA_CONFIG_JSON, QA_COMMIT, QA_BRANCH, QA_OUTPUTS_COMMIT),
so `from qaboard.config import is_ci, commit_id, project, config` works as under QA-Board.
Imported outside a run, values come from the current folder and git. The commit's details
(`commit_committer_name`, `commit_message`, ...) ask git only when first imported.
"""
import datetime
import getpass
import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional

from .utils import getenvs

config_has_error = False
ignore_config_errors = True

on_windows = os.name == "nt"
on_linux = not on_windows
on_vdi = os.environ.get("HOST", "").endswith("vdi")
on_lsf = os.environ.get("HOST", "").endswith("transchip.com") or \
    os.environ.get("HOST", "").startswith("planet")
platform = "windows" if on_windows else "linux"


def _user() -> str:
    if "QA_USER" in os.environ:
        return os.environ["QA_USER"]
    try:
        return getpass.getuser()
    except Exception:  # a container user without a passwd entry
        return os.environ.get("USER", "unknown")


user = _user()


def _find_root() -> Optional[Path]:
    if os.environ.get("QA_PROJECT_ROOT"):
        return Path(os.environ["QA_PROJECT_ROOT"])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "qaboard.yaml").is_file():
            return folder
    return None


def _load_config() -> Dict[str, Any]:
    text = os.environ.get("QA_CONFIG_JSON")
    if text:
        try:
            loaded = json.loads(text)
            if isinstance(loaded, dict):
                return loaded
        except ValueError:
            pass
    return {}


# The project's qaboard.yaml as a dict (QA_CONFIG_JSON, exported by qa-run).
config: Dict[str, Any] = _load_config()
root_qatools: Optional[Path] = _find_root()
project_dir: Optional[Path] = root_qatools
# A subproject's folder, relative to the project's (QA_SUBPROJECT, exported by qa-run).
subproject = Path(os.environ.get("QA_SUBPROJECT") or ".")
if root_qatools and subproject != Path("."):
    project_dir = root_qatools / subproject

_name = os.environ.get("QA_PROJECT") or (config.get("project") or {}).get("name") or \
    (root_qatools.name if root_qatools else None)
# QA_PROJECT is the subproject's full name, `<project.name>/<subproject>`.
_suffix = "/" + subproject.as_posix()
if _name and subproject != Path(".") and _name.endswith(_suffix):
    _name = _name[: -len(_suffix)]
project_root: Optional[Path] = Path(_name) if _name else None
project: Optional[Path] = project_root / subproject if project_root else None
if _name:
    config.setdefault("project", {})["name"] = project.as_posix()

# Runs in CI and tuning runs, as QA-Board tells them apart.
ci_env_variables = ("CI", "GIT_COMMIT")
is_ci = any(v in os.environ for v in ci_env_variables)

repo_root = Path(os.environ.get("QA_REPO", str(root_qatools or Path.cwd())))
is_in_git_repo = False
for _folder in (repo_root, *repo_root.parents):
    if (_folder / ".git").exists():
        is_in_git_repo = True
        repo_root = _folder
        break

commit_type = (config.get("project") or {}).get("type", "git") if is_ci else None
commit_tag = getenvs(("CI_COMMIT_TAG", "GIT_TAG_NAME", "CIRCLE_TAG", "TRAVIS_TAG")) \
    if is_ci else None

# Where results and builds live. qatools writes a run's outputs under its output root (QA-Board
# honours QA_OUTPUTS_COMMIT the same way) and runs in the checkout, which holds the build.
outputs_commit = Path(os.environ["QA_OUTPUTS_COMMIT"]) if os.environ.get("QA_OUTPUTS_COMMIT") \
    else (root_qatools / "output" if root_qatools else Path())
outputs_commit_root = outputs_commit
commit_ci_dir = outputs_commit
artifacts_commit = root_qatools or Path()
artifacts_commit_root = artifacts_commit
artifacts_branch = artifacts_commit
artifacts_branch_root = artifacts_commit

default_platform = platform
default_batch_label = "default"
_inputs = config.get("inputs") or {}
default_input_type = (_inputs.get("types") or {}).get("default", "default") \
    if isinstance(_inputs, dict) else "default"

available_metrics: Dict[str, Dict[str, Any]] = {}
main_metrics: List[str] = []
secrets: Dict[str, Any] = {}


def _git(*args: str) -> Optional[str]:
    if not is_in_git_repo:
        return None
    try:
        done = subprocess.run(["git", *args], cwd=str(repo_root), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, encoding="utf-8", check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def _commit_id() -> Optional[str]:
    commit = os.environ.get("QA_COMMIT")
    if commit:
        return commit[:-len("-dirty")] if commit.endswith("-dirty") else commit
    return _git("rev-parse", "HEAD") or f"<local:{user}>"


def _commit_branch() -> Optional[str]:
    if "QA_BRANCH" in os.environ:
        return os.environ["QA_BRANCH"] or None
    branch = _git("rev-parse", "--abbrev-ref", "HEAD")
    if branch == "HEAD":
        return None
    return branch or f"<local:{user}>"


def _commit_details() -> Dict[str, Any]:
    details: Dict[str, Any] = {
        "commit_committer_name": user,
        "commit_committer_email": None,
        "commit_authored_datetime": os.environ.get(
            "GIT_AUTHORED_DATETIME", datetime.datetime.now(datetime.timezone.utc).isoformat()),
        "commit_message": os.environ.get("GIT_MESSAGE"),
        "commit_parents": [],
    }
    sha = globals()["commit_id"]
    shown = _git("show", "-s", "--format=%cn%n%ce%n%aI%n%P%n%B", sha) if sha else None
    if shown:
        fields = (shown.split("\n", 4) + [""] * 5)[:5]
        details["commit_committer_name"], details["commit_committer_email"] = fields[0], fields[1]
        if "GIT_AUTHORED_DATETIME" not in os.environ:
            details["commit_authored_datetime"] = fields[2]
        details["commit_parents"] = fields[3].split()
        if details["commit_message"] is None:
            details["commit_message"] = fields[4]
    return details


commit_id: Optional[str] = _commit_id()
commit_branch: Optional[str] = _commit_branch()

_details = ("commit_committer_name", "commit_committer_email", "commit_authored_datetime",
            "commit_message", "commit_parents")


def __getattr__(name: str) -> Any:
    """Compute the commit's details on first use: they need a call to git."""
    if name in _details:
        globals().update(_commit_details())
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
