"""Run a QA-Board entrypoint (`project.entrypoint`) for qa-run, as QA-Board's `qa run` does.

    python3 -u qatools_entrypoint.py ENTRYPOINT [FORWARDED_ARG...]

qa-run runs this in the project root with the run described in the environment (QA_INPUT_PATH,
QA_OUTPUT_DIR, QA_PARAMS, ...; see qaboard/run.py). It imports ENTRYPOINT (its folder first on
sys.path, the project root last), builds the `context`, calls `run(context)` then, unless the
run failed, `postprocess(runtime_metrics, context)` when the entrypoint defines it, and writes
the result to `<output_dir>/metrics.json` with QA-Board's verdicts:

- a dict is the metrics; None (or an empty dict) is a run that did not fail;
- an exception (printed with its traceback), another type, or an entrypoint that cannot be
  imported is a failed run: `is_failed: true`;
- a dict without `is_failed` is a run that did not fail (with QA-Board's warning);
- `compute_time` is the seconds `run` took; a metrics.json the run wrote itself is kept, the
  returned metrics win over its keys.

It exits 1 when the run failed (`is_failed` true), as `qa run` does, else 0. Values that are
not JSON (paths, numpy numbers) are written as their value or text, never failing the write.
"""
import importlib.util
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _error(message):
    print(f"[ERROR] {message}", file=sys.stderr, flush=True)


def _print_exception():
    traceback.print_exc(file=sys.stderr)
    sys.stderr.flush()


def _load_entrypoint(path):
    """Return the entrypoint module at `path`, or None (with the error printed)."""
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location("qaboard-entrypoint", str(path))
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path} as a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # for dataclasses and pickle in the entrypoint
        spec.loader.exec_module(module)
        return module
    except Exception:
        _error(f"cannot import the entrypoint ({path}):")
        _print_exception()
        print(f"{path} must implement a `run(context)` function, and optionally `postprocess` "
              "and `metadata`.", file=sys.stderr)
        return None


def _input_metadata(module, context):
    metadata = getattr(module, "metadata", None)
    if metadata is None:
        return {}
    try:
        value = metadata(context.input_path, context.database, context.rel_input_path)
    except Exception:
        _error("the `metadata` function of the entrypoint raised an exception:")
        _print_exception()
        return {}
    return value if value is not None else {}


def _run(module, context):
    start = time.time()
    cwd = os.getcwd()
    try:
        if module is None:
            runtime_metrics = {"is_failed": True}
        else:
            runtime_metrics = module.run(context)
    except Exception as e:
        _error(f"Your `run` function raised an exception: {e}")
        _print_exception()
        runtime_metrics = {"is_failed": True}
    if not runtime_metrics:
        runtime_metrics = {"is_failed": False}
    if not isinstance(runtime_metrics, dict):
        _error(f"Your `run` function did not return a dict, but {runtime_metrics!r}")
        runtime_metrics = {"is_failed": True}
    runtime_metrics["compute_time"] = time.time() - start
    if os.getcwd() != cwd:
        os.chdir(cwd)
    return runtime_metrics


def _postprocess(module, runtime_metrics, context):
    postprocess = getattr(module, "postprocess", None)
    if postprocess is None or runtime_metrics.get("is_failed"):
        metrics = runtime_metrics
    else:
        try:
            metrics = postprocess(runtime_metrics, context)
            if metrics is None:
                metrics = runtime_metrics
            elif not isinstance(metrics, dict):
                _error(f"Your `postprocess` function did not return a dict, but {metrics!r}")
                metrics = {**runtime_metrics, "is_failed": True}
        except Exception:
            _error("Your `postprocess` function raised an exception:")
            _print_exception()
            metrics = {**runtime_metrics, "is_failed": True}
    if "is_failed" not in metrics:
        print("[Warning] The metrics miss a key `is_failed` (bool): the run did not fail",
              file=sys.stderr)
        metrics["is_failed"] = False
    return metrics


def _previous_metrics(path):
    """Return the metrics the run wrote itself at `path`, or {} (a link is not followed)."""
    try:
        fd = os.open(str(path), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return {}
    except OSError as e:
        _error(f"cannot read the run's own {path}: {e}; it is replaced")
        return {}
    with os.fdopen(fd, "r", encoding="utf-8", errors="replace") as f:
        try:
            previous = json.load(f)
        except ValueError as e:
            _error(f"the run's own {path} is not valid JSON ({e}); it is replaced")
            return {}
    return previous if isinstance(previous, dict) else {}


def _write_metrics(path, metrics):
    """Write `metrics` to `path` atomically: a temporary file renamed over it."""
    from qaboard.utils import jsonable
    data = jsonable(metrics)
    fd, temp = tempfile.mkstemp(prefix=".metrics.", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, sort_keys=True, indent=2, separators=(",", ": "))
            f.write("\n")
        os.chmod(temp, 0o644)
        os.replace(temp, str(path))
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def main(argv):
    if len(argv) < 2:
        print("usage: qatools_entrypoint.py ENTRYPOINT [FORWARDED_ARG...]", file=sys.stderr)
        return 2
    entrypoint = Path(argv[1]).resolve()
    forwarded_args = argv[2:]
    # The qaboard package beside this script serves the entrypoint and the Python programs it
    # starts; the project root is importable too, after everything else.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_HERE), os.environ.get("PYTHONPATH", "")) if p)
    project_root = os.environ.get("QA_PROJECT_ROOT") or os.getcwd()
    if project_root not in sys.path:
        sys.path.append(project_root)

    from qaboard.run import RunContext
    try:
        context = RunContext.from_environment(forwarded_args)
    except KeyError as e:
        print(f"qatools_entrypoint.py: error: {e.args[0]} is not set: run the entrypoint with "
              "qa-run", file=sys.stderr)
        return 2
    context.output_dir.mkdir(parents=True, exist_ok=True)

    module = _load_entrypoint(entrypoint)
    if module is not None:
        context.input_metadata = _input_metadata(module, context)
    runtime_metrics = _run(module, context)
    metrics = _postprocess(module, runtime_metrics, context)

    metrics_path = context.output_dir / "metrics.json"
    metrics = {**_previous_metrics(metrics_path), **metrics}
    _write_metrics(metrics_path, metrics)
    sys.stdout.flush()
    if metrics.get("is_failed"):
        _error("The run has failed.")
        print(str(metrics), file=sys.stderr)
        return 1
    print(str(metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
