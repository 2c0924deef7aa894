// A small GitHub Actions runner for tests: it runs the `run:` steps of a composite action, or of a
// workflow job, for real, the way a runner does, without docker or a network.
//
// What it does as GitHub does: `${{ }}` expressions (github_expressions.mjs; contexts inputs,
// steps, github, runner, env, matrix, needs, secrets, vars; an undeclared input is an error), a step's `if:`
// (default success()), `shell: bash` run as `bash --noprofile --norc -eo pipefail FILE`, a fresh
// GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH and GITHUB_STEP_SUMMARY file per step (outputs become
// steps.<id>.outputs, GITHUB_ENV lines the next steps' environment, GITHUB_PATH lines the front
// of their PATH, summaries are concatenated), GITHUB_ACTIONS=true, RUNNER_TEMP,
// GITHUB_ACTION_PATH and `github.action_path`, a composite action's input defaults and outputs.
// `uses: ./path` runs the composite action found there (relative to the workspace).
//
// What it does instead: `actions/upload-artifact@v4` copies its `path` into the harness's
// artifact folder under `name`, and `actions/download-artifact@v4` copies artifacts back (by
// `name`, or by `pattern` with `merge-multiple`), so that jobs hand records to each other as on
// GitHub. Every other `uses:` (actions/checkout...) is not run. Each `uses:` step is listed in
// the result with its evaluated `with:`, so that tests can assert on it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { evaluateCondition, interpolate, toText } from './github_expressions.mjs';

export { evaluateExpression, interpolate, toText } from './github_expressions.mjs';

const require = createRequire(import.meta.url);
let yaml;
try {
  yaml = require('js-yaml');
} catch (error) {
  throw new Error(`cannot load js-yaml from tests/ci/node_modules (run scripts/bootstrap): ${error.message}`);
}

export function loadYaml(file) {
  return yaml.load(fs.readFileSync(file, 'utf8'));
}

// ---- files of the runner ----------------------------------------------------------------------

// Parse GITHUB_OUTPUT / GITHUB_ENV syntax: `name=value` lines and `name<<DELIMITER` blocks.
export function parseKeyValueFile(file) {
  const result = {};
  if (!fs.existsSync(file)) return result;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const collected = [];
      i += 1;
      while (i < lines.length && lines[i] !== heredoc[2]) {
        collected.push(lines[i]);
        i += 1;
      }
      if (i >= lines.length) throw new Error(`${file}: no closing "${heredoc[2]}"`);
      result[heredoc[1]] = collected.join('\n');
      continue;
    }
    const equals = line.indexOf('=');
    if (equals < 0) throw new Error(`${file}: invalid line "${line}"`);
    result[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return result;
}

// Undo workflow-command escaping (%25 %0D %0A, and %3A %2C in properties).
function unescapeCommand(text) {
  return text.replace(/%(25|0D|0A|3A|2C)/g, (_, code) => String.fromCharCode(parseInt(code, 16)));
}

// Workflow commands (`::error title=T::message`) among `text`'s lines.
export function parseAnnotations(text, stream) {
  const annotations = [];
  for (const line of text.split('\n')) {
    const match = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line);
    if (!match) continue;
    const properties = {};
    for (const part of (match[2] || '').trim().split(',').filter(Boolean)) {
      const equals = part.indexOf('=');
      properties[part.slice(0, equals)] = unescapeCommand(part.slice(equals + 1));
    }
    annotations.push({ level: match[1], properties, message: unescapeCommand(match[3]), stream });
  }
  return annotations;
}

function copyInto(source, destination) {
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  fs.cpSync(source, destination, { recursive: true });
}

// ---- runner -----------------------------------------------------------------------------------

// A run of steps: one job on one runner. `options`: workspace (the checkout), tempRoot (a
// folder for RUNNER_TEMP and the per-step files), env (the base environment), artifacts (the
// folder of the workflow run's artifacts), github, secrets, vars, inputs, matrix, needs.
export class Job {
  constructor(options) {
    this.workspace = options.workspace;
    this.env = { ...options.env };
    this.artifacts = options.artifacts;
    fs.mkdirSync(options.tempRoot, { recursive: true });
    this.runnerTemp = fs.mkdtempSync(path.join(options.tempRoot, 'runner-'));
    this.contexts = {
      github: { workspace: this.workspace, token: 'harness-token', ...(options.github || {}) },
      runner: { temp: this.runnerTemp, os: 'Linux' },
      inputs: options.inputs || {},
      secrets: options.secrets || {},
      vars: options.vars || {},
      matrix: options.matrix || {},
      needs: options.needs || {},
      env: {},
      steps: {},
    };
    this.status = { failed: false };
    this.extraEnv = {};
    this.extraPath = [];
    this.summary = '';
    this.stdout = '';
    this.stderr = '';
    this.uses = [];
    this.log = [];
    this.counter = 0;
  }

  context(contexts) {
    return { contexts, status: this.status };
  }

  baseEnvironment() {
    const env = { ...this.env, ...this.extraEnv };
    if (this.extraPath.length > 0) env.PATH = [...this.extraPath, env.PATH].filter(Boolean).join(':');
    env.GITHUB_ACTIONS = 'true';
    env.GITHUB_WORKSPACE = this.workspace;
    env.RUNNER_TEMP = this.runnerTemp;
    return env;
  }

  // Run `steps` with `contexts` (their inputs, steps...); return {failed}.
  runSteps(steps, contexts, actionPath) {
    for (const step of steps) {
      const context = this.context({ ...contexts, env: this.baseEnvironment() });
      const label = step.name || step.id || step.uses || 'run';
      if (!evaluateCondition(step.if, context)) {
        this.log.push(`skipped: ${label}`);
        if (step.id) contexts.steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
        continue;
      }
      const env = {};
      for (const [key, value] of Object.entries(step.env || {})) env[key] = toText(interpolate(value, context));
      let result;
      if (step.uses) {
        const withValues = {};
        for (const [key, value] of Object.entries(step.with || {})) withValues[key] = toText(interpolate(value, context));
        result = this.runUses(step, withValues, env);
      } else if (step.run !== undefined) {
        const workingDirectory = step['working-directory'] ? toText(interpolate(step['working-directory'], context)) : '';
        result = this.runScript(step, env, workingDirectory, actionPath, label);
      } else {
        throw new Error(`step "${label}" has neither run nor uses`);
      }
      this.log.push(`${result.failed ? 'failed' : 'ok'}: ${label}`);
      if (step.id) {
        const outcome = result.failed ? 'failure' : 'success';
        contexts.steps[step.id] = { outputs: result.outputs, outcome, conclusion: outcome };
      }
      if (result.failed) this.status.failed = true;
    }
    return { failed: this.status.failed };
  }

  runScript(step, stepEnv, workingDirectory, actionPath, label) {
    if (step.shell !== 'bash') throw new Error(`step "${label}": the harness runs shell: bash only, not ${step.shell}`);
    this.counter += 1;
    const files = path.join(this.runnerTemp, '_runner_file_commands', String(this.counter));
    fs.mkdirSync(files, { recursive: true });
    const script = path.join(files, 'script.sh');
    fs.writeFileSync(script, step.run);
    const commandFiles = {
      GITHUB_OUTPUT: path.join(files, 'output'),
      GITHUB_ENV: path.join(files, 'env'),
      GITHUB_PATH: path.join(files, 'path'),
      GITHUB_STEP_SUMMARY: path.join(files, 'summary'),
    };
    for (const file of Object.values(commandFiles)) fs.writeFileSync(file, '');
    const env = { ...this.baseEnvironment(), ...stepEnv, ...commandFiles };
    if (actionPath) env.GITHUB_ACTION_PATH = actionPath;
    const cwd = workingDirectory ? path.resolve(this.workspace, workingDirectory) : this.workspace;
    const child = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    });
    if (child.error) throw child.error;
    this.stdout += child.stdout;
    this.stderr += child.stderr;
    if (process.env.QA_HARNESS_VERBOSE) process.stderr.write(`== ${label}\n${child.stdout}${child.stderr}`);
    const outputs = parseKeyValueFile(commandFiles.GITHUB_OUTPUT);
    Object.assign(this.extraEnv, parseKeyValueFile(commandFiles.GITHUB_ENV));
    const added = fs.readFileSync(commandFiles.GITHUB_PATH, 'utf8').split('\n').filter(Boolean);
    this.extraPath = [...added.reverse(), ...this.extraPath];
    this.summary += fs.readFileSync(commandFiles.GITHUB_STEP_SUMMARY, 'utf8');
    return { failed: child.status !== 0, outputs, exitCode: child.status };
  }

  runUses(step, withValues, stepEnv) {
    const entry = { uses: step.uses, with: withValues };
    this.uses.push(entry);
    if (step.uses.startsWith('./')) {
      const dir = path.resolve(this.workspace, step.uses);
      const result = this.runAction(dir, withValues, stepEnv);
      entry.outputs = result.outputs;
      return result;
    }
    if (step.uses === 'actions/upload-artifact@v4') {
      if (!this.artifacts) throw new Error('upload-artifact needs the harness\'s artifacts folder');
      const target = path.join(this.artifacts, withValues.name);
      if (fs.existsSync(target) && withValues.overwrite !== 'true') throw new Error(`artifact "${withValues.name}" exists`);
      fs.rmSync(target, { recursive: true, force: true });
      const source = path.resolve(this.workspace, withValues.path);
      if (!fs.existsSync(source)) return { failed: withValues['if-no-files-found'] === 'error', outputs: {} };
      const stat = fs.statSync(source);
      copyInto(source, stat.isDirectory() ? target : path.join(target, path.basename(source)));
      return { failed: false, outputs: { 'artifact-id': withValues.name } };
    }
    if (step.uses === 'actions/download-artifact@v4') {
      const destination = path.resolve(this.workspace, withValues.path || '.');
      const names = fs.existsSync(this.artifacts) ? fs.readdirSync(this.artifacts).sort() : [];
      let chosen;
      if (withValues.name) {
        chosen = names.filter((name) => name === withValues.name);
        if (chosen.length === 0) return { failed: true, outputs: {} };
      } else {
        const pattern = new RegExp(`^${(withValues.pattern || '*').split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
        chosen = names.filter((name) => pattern.test(name));
      }
      const merge = withValues.name || withValues['merge-multiple'] === 'true';
      for (const name of chosen) {
        copyInto(path.join(this.artifacts, name), merge ? destination : path.join(destination, name));
      }
      return { failed: false, outputs: { 'download-path': destination } };
    }
    return { failed: false, outputs: {} };
  }

  // Run the composite action of `dir` with `inputs` (strings); return {failed, outputs}.
  runAction(dir, inputs, stepEnv = {}) {
    const action = loadYaml(path.join(dir, 'action.yml'));
    if (!action.runs || action.runs.using !== 'composite') throw new Error(`${dir}: not a composite action`);
    const declared = action.inputs || {};
    for (const name of Object.keys(inputs)) {
      if (!(name in declared)) throw new Error(`${dir}: unknown input "${name}"`);
    }
    const github = { ...this.contexts.github, action_path: dir };
    const resolved = {};
    for (const [name, spec] of Object.entries(declared)) {
      if (inputs[name] !== undefined && inputs[name] !== '') resolved[name] = inputs[name];
      else if (spec.default !== undefined) resolved[name] = toText(interpolate(String(spec.default), this.context({ github, runner: this.contexts.runner })));
      else if (spec.required) throw new Error(`${dir}: input "${name}" is required`);
      else resolved[name] = '';
    }
    const contexts = { github, runner: this.contexts.runner, inputs: resolved, steps: {}, env: {} };
    // A composite action's steps see a status of their own: a failure inside it is its own.
    const outer = this.status;
    this.status = { failed: false };
    const savedEnv = this.env;
    this.env = { ...this.env, ...stepEnv };
    let failed;
    try {
      ({ failed } = this.runSteps(action.runs.steps, contexts, dir));
    } finally {
      this.status = outer;
      this.env = savedEnv;
    }
    const outputs = {};
    for (const [name, spec] of Object.entries(action.outputs || {})) {
      outputs[name] = toText(interpolate(spec.value, this.context(contexts)));
    }
    return { failed, outputs, steps: contexts.steps };
  }

  // Everything the job printed, parsed.
  annotations() {
    return [...parseAnnotations(this.stdout, 'stdout'), ...parseAnnotations(this.stderr, 'stderr')];
  }
}

// Run the job `jobId` of the workflow `workflow` (its parsed YAML); return the Job with
// `outputs` (the job's outputs) and `failed` set.
export function runWorkflowJob(workflow, jobId, options) {
  const spec = workflow.jobs[jobId];
  if (!spec) throw new Error(`no job "${jobId}"`);
  const job = new Job(options);
  const base = { ...job.contexts };
  const env = {};
  for (const [key, value] of Object.entries(workflow.env || {})) {
    env[key] = toText(interpolate(value, job.context(base)));
  }
  for (const [key, value] of Object.entries(spec.env || {})) {
    env[key] = toText(interpolate(value, job.context(base)));
  }
  Object.assign(job.env, env);
  const contexts = { ...base, steps: {} };
  const { failed } = job.runSteps(spec.steps, contexts);
  job.failed = failed;
  job.outputs = {};
  for (const [name, value] of Object.entries(spec.outputs || {})) {
    job.outputs[name] = toText(interpolate(value, job.context(contexts)));
  }
  return job;
}

// Run the composite action of `dir` alone, as the only step of a job; return the Job with
// `outputs`, `failed` and `steps` set.
export function runCompositeAction(dir, inputs, options) {
  const job = new Job(options);
  job.uses.push({ uses: dir, with: inputs });
  const result = job.runAction(dir, inputs);
  job.failed = result.failed;
  job.outputs = result.outputs;
  job.steps = result.steps;
  return job;
}
