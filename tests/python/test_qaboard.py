"""Unit tests of python/qaboard, qatools' stand-in for QA-Board's package (ctest: python_qaboard).

Run from the source tree: python3 -B -m unittest discover -s tests/python (PYTHONPATH=python).
"""
import importlib
import math
import os
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from qaboard.conventions import serialize_config, slugify
from qaboard.run import RunContext
from qaboard.utils import jsonable, merge


class MergeTest(unittest.TestCase):
    def test_nested_maps_merge_and_the_source_wins(self):
        dest = {"a": 1, "n": {"x": 1, "y": 2}}
        self.assertEqual(merge({"a": 2, "n": {"y": 3, "z": 4}}, dest),
                         {"a": 2, "n": {"x": 1, "y": 3, "z": 4}})

    def test_super_splices_the_replaced_list(self):
        self.assertEqual(merge({"l": ["super", 3]}, {"l": [1, 2]}), {"l": [1, 2, 3]})

    def test_nothing_to_merge_keeps_dest(self):
        self.assertEqual(merge(None, {"a": 1}), {"a": 1})


class JsonableTest(unittest.TestCase):
    def test_plain_values_are_kept(self):
        value = {"a": 1, "b": "s", "c": True, "d": None, "e": 0.5, "f": [1, "x"]}
        self.assertEqual(jsonable(value), value)

    def test_other_values_become_json(self):
        class Scalar:
            def item(self):
                return 2.5

        class Array:
            def item(self):
                raise ValueError("only size-1 arrays")

            def tolist(self):
                return [[1, 2]]

        converted = jsonable({1: Path("/a/b"), "n": Scalar(), "arr": Array(), "t": (1, 2),
                              "nan": math.nan, "inf": -math.inf, "o": object})
        self.assertEqual(converted["1"], "/a/b")
        self.assertEqual(converted["n"], 2.5)
        self.assertEqual(converted["arr"], [[1, 2]])
        self.assertEqual(converted["t"], [1, 2])
        self.assertIsNone(converted["nan"])
        self.assertIsNone(converted["inf"])
        self.assertEqual(converted["o"], "<class 'object'>")


class ConventionsTest(unittest.TestCase):
    def test_slugify(self):
        self.assertEqual(slugify("Feature/My Branch!"), "feature-my-branch")
        self.assertEqual(slugify("a" * 40), "a" * 31)

    def test_serialize_config(self):
        self.assertEqual(serialize_config([]), "-")
        self.assertEqual(serialize_config(["base", {"b": 1, "a": 2}]), 'base:{"a": 2, "b": 1}')


class RunContextTest(unittest.TestCase):
    def environment(self, **extra):
        env = {
            "QA_INPUT_PATH": "/db/images/a.png",
            "QA_REL_INPUT_PATH": "images/a.png",
            "QA_OUTPUT_DIR": "/proj/output/k",
            "QA_PARAMS": '{"level": 2, "n": {"x": 1}}',
            "QA_CONFIGS": "base",
            "QA_CONFIGS_JSON": '["base", {"level": 2}]',
        }
        env.update(extra)
        return mock.patch.dict(os.environ, env, clear=True)

    def test_built_from_the_environment(self):
        with self.environment():
            context = RunContext.from_environment(["--flag"])
        self.assertEqual(context.input_path, Path("/db/images/a.png"))
        self.assertEqual(context.database, Path("/db"))
        self.assertEqual(context.rel_input_path, Path("images/a.png"))
        self.assertEqual(context.output_dir, Path("/proj/output/k"))
        self.assertEqual(context.configurations, ["base", {"level": 2}])
        self.assertEqual(context.configs, ["base", {"level": 2}, {"forwarded_args": ["--flag"]}])
        self.assertEqual(context.params,
                         {"level": 2, "n": {"x": 1}, "forwarded_args": ["--flag"]})
        self.assertEqual(context.forwarded_args, ["--flag"])
        self.assertEqual(context.platform, "linux")
        self.assertEqual(context.type, "default")
        self.assertFalse(context.dryrun)
        self.assertIs(context.obj, context.obj)
        self.assertEqual(context.obj["input_path"], Path("images/a.png"))
        self.assertEqual(context.obj["configuration"], 'base:{"level": 2}')

    def test_without_forwarded_args_configs_are_the_configurations(self):
        with self.environment(QA_TYPE="movie", QA_DRYRUN="1"):
            context = RunContext.from_environment([])
        self.assertEqual(context.configs, ["base", {"level": 2}])
        self.assertEqual(context.forwarded_args, [])
        self.assertEqual(context.type, "movie")
        self.assertTrue(context.dryrun)

    def test_configuration_names_without_json(self):
        with self.environment(QA_CONFIGS="base:hdr", QA_CONFIGS_JSON=""):
            context = RunContext.from_environment([])
        self.assertEqual(context.configurations, ["base", "hdr"])

    def test_the_database_itself_as_input(self):
        with self.environment(QA_INPUT_PATH="/db", QA_REL_INPUT_PATH="."):
            context = RunContext.from_environment([])
        self.assertEqual(context.database, Path("/db"))
        self.assertEqual(context.rel_input_path, Path("."))


class ConfigTest(unittest.TestCase):
    def load(self, env):
        with mock.patch.dict(os.environ, env, clear=True):
            sys.modules.pop("qaboard.config", None)
            return importlib.import_module("qaboard.config")

    def tearDown(self):
        sys.modules.pop("qaboard.config", None)

    def test_names_from_qa_run(self):
        with tempfile.TemporaryDirectory() as root:
            config = self.load({
                "QA_PROJECT_ROOT": root, "QA_PROJECT": "acme/py", "QA_COMMIT": "a" * 40 + "-dirty",
                "QA_BRANCH": "main", "QA_OUTPUTS_COMMIT": root + "/output",
                "QA_CONFIG_JSON": '{"project": {"name": "acme/py", "entrypoint": "qa/main.py"}}',
                "CI": "true", "QA_USER": "me", "PATH": os.environ.get("PATH", ""),
            })
            self.assertTrue(config.is_ci)
            self.assertEqual(config.commit_id, "a" * 40)
            self.assertEqual(config.commit_branch, "main")
            self.assertEqual(config.project, Path("acme/py"))
            self.assertEqual(config.project_root, Path("acme/py"))
            self.assertEqual(config.subproject, Path("."))
            self.assertEqual(config.root_qatools, Path(root))
            self.assertEqual(config.outputs_commit, Path(root) / "output")
            self.assertEqual(config.config["project"]["entrypoint"], "qa/main.py")
            self.assertEqual(config.user, "me")
            # Not a git repository: the commit's details are the defaults.
            self.assertEqual(config.commit_committer_name, "me")
            self.assertEqual(config.commit_parents, [])

    def test_a_subproject_is_named_after_its_project(self):
        with tempfile.TemporaryDirectory() as root:
            config = self.load({"QA_PROJECT_ROOT": root, "QA_PROJECT": "acme/py/isp/raw",
                                "QA_SUBPROJECT": "isp/raw", "QA_COMMIT": "c" * 40})
            self.assertEqual(config.subproject, Path("isp/raw"))
            self.assertEqual(config.project_root, Path("acme/py"))
            self.assertEqual(config.project, Path("acme/py/isp/raw"))
            self.assertEqual(config.project_dir, Path(root) / "isp/raw")

    def test_a_detached_head_has_no_branch(self):
        config = self.load({"QA_PROJECT_ROOT": "/nowhere", "QA_BRANCH": "", "QA_COMMIT": "b" * 40})
        self.assertIsNone(config.commit_branch)
        self.assertFalse(config.is_ci)
        self.assertEqual(config.project, Path("nowhere"))
        with self.assertRaises(AttributeError):
            config.no_such_name  # noqa: B018


if __name__ == "__main__":
    unittest.main()
