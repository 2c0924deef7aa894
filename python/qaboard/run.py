"""QA-Board's `RunContext`: what a run is about, passed to the entrypoint's `run(context)`."""
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from .conventions import serialize_config
from .utils import merge


def _json_env(name: str, default: Any) -> Any:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


@dataclass
class RunContext:
    """One run: its input, configurations and output folder, as QA-Board describes it."""
    type: str
    input_path: Path  # absolute
    database: Path  # absolute
    platform: str
    configurations: List[Any]  # names and maps, as the run was given them
    extra_parameters: Dict[str, Any] = field(default_factory=dict)  # forwarded_args, tuning
    input_metadata: Dict = field(default_factory=dict)
    job_options: Dict[str, Any] = field(default_factory=dict)
    output_dir: Path = Path()
    command: Optional[str] = None
    # qatools: the run's parameters as qa-run resolved them (run.params, config maps, --param).
    parameters: Dict[str, Any] = field(default_factory=dict)
    dryrun: bool = False
    _obj: Optional[Dict[str, Any]] = field(default=None, repr=False)

    @property
    def rel_input_path(self) -> Path:
        """The input's path relative to the database."""
        return self.input_path.relative_to(self.database)

    @property
    def output_directory(self) -> Path:
        return self.output_dir

    @property
    def configs(self) -> List[Any]:
        """The configurations, then the extra parameters (when there are some)."""
        if self.extra_parameters:
            return [*self.configurations, self.extra_parameters]
        return self.configurations

    @property
    def params(self) -> Dict[str, Any]:
        """The run's parameters, with the extra parameters deep-merged over them.

        QA-Board merges the maps of `configs`; qa-run has merged `run.params`, the
        configurations' maps and `--param` already (QA_PARAMS), so only the extra parameters
        (`forwarded_args`) are added here."""
        return merge(self.extra_parameters, json.loads(json.dumps(self.parameters)))

    @property
    def forwarded_args(self) -> List[str]:
        return self.params.get("forwarded_args", [])

    @property
    def obj(self) -> Dict[str, Any]:
        """A dict for the entrypoint's own data, the same on every access (QA-Board's click
        context object), filled with the run's description."""
        if self._obj is None:
            self._obj = {
                **self.asdict(),
                "rel_input_path": self.rel_input_path,
                "input_path": self.rel_input_path,
                "absolute_input_path": self.input_path,
                "output_directory": self.output_dir,
                "forwarded_args": self.forwarded_args,
                "configuration": serialize_config(self.configurations),
                "input_type": self.type,
                "dryrun": self.dryrun,
                "batch_label": os.environ.get("QA_LABEL", "default"),
                "offline": True,
            }
        return self._obj

    def asdict(self) -> Dict[str, Any]:
        data = asdict(self)
        for private in ("input_metadata", "_obj", "parameters"):
            data.pop(private, None)
        data["rel_input_path"] = self.rel_input_path
        return data

    def ran(self) -> bool:
        return (self.output_dir / "metrics.json").exists()

    def is_failed(self, verbose: bool = False) -> bool:
        metrics_path = self.output_dir / "metrics.json"
        if not metrics_path.exists():
            return True
        with metrics_path.open() as f:
            return bool(json.load(f).get("is_failed", True))

    @staticmethod
    def from_environment(forwarded_args: List[str]) -> "RunContext":
        """Build the context of the run that qa-run describes in the environment (QA_INPUT_PATH,
        QA_REL_INPUT_PATH, QA_OUTPUT_DIR, QA_PARAMS, QA_CONFIGS_JSON, QA_TYPE, QA_PLATFORM,
        QA_DRYRUN), with `forwarded_args`, qa-run's arguments after `--`."""
        input_path = Path(os.environ["QA_INPUT_PATH"])
        rel_parts = Path(os.environ.get("QA_REL_INPUT_PATH", "")).parts
        try:
            database = input_path.parents[len(rel_parts) - 1] if rel_parts else input_path
        except IndexError:
            database = input_path.parent
        configurations = _json_env("QA_CONFIGS_JSON", None)
        if not isinstance(configurations, list):
            names = os.environ.get("QA_CONFIGS", "")
            configurations = [c for c in names.split(":") if c]
        parameters = _json_env("QA_PARAMS", {})
        extra_parameters: Dict[str, Any] = {}
        if forwarded_args:
            extra_parameters["forwarded_args"] = list(forwarded_args)
        return RunContext(
            type=os.environ.get("QA_TYPE") or "default",
            input_path=input_path,
            database=database,
            platform=os.environ.get("QA_PLATFORM") or ("windows" if os.name == "nt" else "linux"),
            configurations=configurations,
            extra_parameters=extra_parameters,
            output_dir=Path(os.environ["QA_OUTPUT_DIR"]),
            parameters=parameters if isinstance(parameters, dict) else {},
            dryrun=os.environ.get("QA_DRYRUN", "") not in ("", "0", "false"),
        )
