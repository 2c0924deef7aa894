// qatools' GitHub Actions templates run for real on the example project:
//   node github_actions_test.mjs --source SOURCE_DIR --tools TOOLS_DIR --examples EXAMPLES_BIN_DIR
//
// A scratch git repository holds examples/denoise (its qaboard.yaml, batches, metrics, programs
// and images). The reusable workflow ci-templates/github/workflows/qatools.yml runs its jobs in
// the harness (github_actions_harness.mjs), which runs the composite actions of
// ci-templates/github (reached as ./.qatools/ci-templates/github, as the workflow checks them
// out) with the built tools:
//   1. a push to main (commit A): two qa-batch shards upload their records, qa-bitacc passes
//      with a ::warning (no reference results), qa-report writes the summary and its files;
//   2. a pull request (commit B, strength 0.5 -> 0.25, on a branch): qa-bitacc fails with an
//      ::error per run naming its key, qa-report fails its regression gate after writing and
//      uploading every report;
// then the actions alone: qa-bitacc from the store, qa-report's fail-on and comment inputs (a
// stand-in qa-report shows its arguments), the setup action's .deb install (a stand-in apt-get)
// and refusals, the batch action's refusal of a bad shard, and the shard list.
// Exit 0 when every check holds; 1 naming the first that did not, with the job's log.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { interpolate, loadYaml, runCompositeAction, runWorkflowJob } from './github_actions_harness.mjs';

function parseArguments(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!['--source', '--tools', '--examples'].includes(argv[i]) || argv[i + 1] === undefined) {
      console.error('usage: node github_actions_test.mjs --source DIR --tools DIR --examples DIR');
      process.exit(2);
    }
    options[argv[i].slice(2)] = path.resolve(argv[i + 1]);
  }
  for (const name of ['source', 'tools', 'examples']) {
    if (!options[name]) {
      console.error(`github_actions_test: error: --${name} is required`);
      process.exit(2);
    }
  }
  return options;
}

const options = parseArguments(process.argv.slice(2));
const templates = path.join(options.source, 'ci-templates', 'github');
const workflow = loadYaml(path.join(templates, 'workflows', 'qatools.yml'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qa-github-actions-'));
const project = path.join(tmp, 'project');
let current = null;  // the job under test, whose log is shown when a check fails
let checks = 0;

class CheckFailed extends Error {}

function check(condition, message) {
  checks += 1;
  if (!condition) throw new CheckFailed(message);
}

// The caller's environment without anything that steers qatools, git or a CI runner.
function cleanEnvironment() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(QA_|CI|GITHUB_|RUNNER_|SLURM_|XDG_|GIT_)/.test(key) || key === 'HOME') continue;
    env[key] = value;
  }
  env.HOME = path.join(tmp, 'home');
  fs.mkdirSync(env.HOME, { recursive: true });
  return env;
}

const baseEnv = cleanEnvironment();

function git(...args) {
  const child = spawnSync('git', args, {
    cwd: project, encoding: 'utf8',
    env: { ...baseEnv, GIT_AUTHOR_NAME: 'qa', GIT_AUTHOR_EMAIL: 'qa@example.com', GIT_COMMITTER_NAME: 'qa', GIT_COMMITTER_EMAIL: 'qa@example.com' },
  });
  if (child.status !== 0) throw new Error(`git ${args.join(' ')}: ${child.stderr}`);
  return child.stdout.trim();
}

function makeProject() {
  const example = path.join(options.source, 'examples', 'denoise');
  fs.mkdirSync(path.join(project, 'build'), { recursive: true });
  for (const name of ['qaboard.yaml', 'qa', '.gitignore']) {
    fs.cpSync(path.join(example, name), path.join(project, name), { recursive: true });
  }
  for (const program of ['denoise', 'psnr', 'make-images']) {
    fs.copyFileSync(path.join(options.examples, program), path.join(project, 'build', program));
    fs.chmodSync(path.join(project, 'build', program), 0o755);
  }
  const images = spawnSync(path.join(project, 'build', 'make-images'), [path.join(project, 'data')], { encoding: 'utf8' });
  if (images.status !== 0) throw new Error(`make-images: ${images.stderr}`);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'A: the denoiser at strength 0.5');
  // The workflow checks qatools' actions out into .qatools; here they are the source tree's.
  fs.mkdirSync(path.join(project, '.qatools', 'ci-templates'), { recursive: true });
  fs.symlinkSync(templates, path.join(project, '.qatools', 'ci-templates', 'github'));
  fs.appendFileSync(path.join(project, '.git', 'info', 'exclude'), '/.qatools/\n');
  return git('rev-parse', 'HEAD');
}

function workflowInputs(overrides) {
  const inputs = {};
  for (const [name, spec] of Object.entries(workflow.on.workflow_call.inputs)) {
    if (spec.default !== undefined) inputs[name] = spec.default;
  }
  return { ...inputs, ...overrides };
}

// One run of the reusable workflow: its jobs in order, as GitHub would start them.
function runPipeline(name, { inputs, env, github }) {
  const artifacts = path.join(tmp, name, 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  const common = { workspace: project, tempRoot: path.join(tmp, name), env, artifacts, inputs, github };
  const jobs = {};
  current = jobs.shards = runWorkflowJob(workflow, 'qa-shards', common);
  check(!jobs.shards.failed, `${name}: qa-shards failed`);
  const needsShards = { 'qa-shards': { result: 'success', outputs: jobs.shards.outputs } };
  const shards = interpolate(workflow.jobs['qa-batch'].strategy.matrix.shard, { contexts: { needs: needsShards }, status: { failed: false } });
  check(JSON.stringify(shards) === JSON.stringify([...Array(inputs.shards).keys()]),
    `${name}: the matrix of ${inputs.shards} shards is ${JSON.stringify(shards)}`);
  jobs.batch = shards.map((shard) => {
    current = runWorkflowJob(workflow, 'qa-batch', { ...common, matrix: { shard }, needs: needsShards });
    return current;
  });
  const batchResult = jobs.batch.some((job) => job.failed) ? 'failure' : 'success';
  const needsBatch = { 'qa-batch': { result: batchResult, outputs: {} } };
  current = jobs.bitacc = runWorkflowJob(workflow, 'qa-bitacc', { ...common, needs: needsBatch });
  for (const job of ['qa-bitacc', 'qa-report']) {
    for (const result of ['success', 'failure']) {
      check(interpolate(workflow.jobs[job].if, { contexts: { needs: { 'qa-batch': { result } } }, status: { failed: true } }) === true,
        `${name}: ${job} must run after qa-batch, whether it succeeded or failed`);
    }
    check(interpolate(workflow.jobs[job].if, { contexts: { needs: { 'qa-batch': { result: 'skipped' } } }, status: { failed: true } }) === false,
      `${name}: ${job} must not run when qa-batch did not`);
  }
  current = jobs.report = runWorkflowJob(workflow, 'qa-report', { ...common, needs: needsBatch });
  return { jobs, artifacts };
}

function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

function usesOf(job, uses) {
  return job.uses.filter((entry) => entry.uses === uses);
}

function pushToMain(commitA, env) {
  const inputs = workflowInputs({
    batch: 'smoke', shards: 2, store: path.join(tmp, 'store'), 'qatools-bin': options.tools,
    setup: 'printf "setup line ran in %s\\n" "$PWD" >> "$SETUP_LOG"',
  });
  const github = { repository: 'acme/denoise', sha: commitA, ref_name: 'main', event_name: 'push' };
  const pushEnv = { ...env, GITHUB_SHA: commitA, GITHUB_REF_NAME: 'main', SETUP_LOG: path.join(tmp, 'setup.log') };
  const { jobs, artifacts } = runPipeline('push', { inputs, github, env: pushEnv });

  for (const [index, job] of jobs.batch.entries()) {
    current = job;
    check(!job.failed, `push: qa-batch shard ${index} failed`);
    const artifact = `qa-records-${index}-of-2`;
    const batch = usesOf(job, './.qatools/ci-templates/github/batch')[0];
    check(batch && batch.with['shard-index'] === String(index) && batch.with['shard-total'] === '2' && batch.with['artifact-name'] === artifact,
      `push: shard ${index} calls the batch action with its shard and artifact name: ${JSON.stringify(batch && batch.with)}`);
    check(batch.outputs.runs === '1' && batch.outputs.ok === '1' && batch.outputs.failed === '0' && batch.outputs['exit-code'] === '0',
      `push: shard ${index} ran 1 of smoke's 2 runs: ${JSON.stringify(batch.outputs)}`);
    const upload = usesOf(job, 'actions/upload-artifact@v4');
    check(upload.length === 1 && upload[0].with.name === artifact && upload[0].with.path === batch.outputs.records
      && upload[0].with['if-no-files-found'] === 'error',
      `push: shard ${index} uploads its records as ${artifact}: ${JSON.stringify(upload)}`);
    const records = lines(path.join(artifacts, artifact, `${artifact}.jsonl`));
    check(records.length === 1 && JSON.parse(records[0]).status === 'ok' && JSON.parse(records[0]).commit === commitA,
      `push: ${artifact} holds one ok record of commit A`);
    check(job.summary.includes(`shard ${index}/2: 1 runs, 1 ok, 0 failed`), `push: shard ${index}'s job summary: ${job.summary}`);
    check(usesOf(job, './.qatools/ci-templates/github/setup')[0].outputs.version.startsWith('qa-run (qatools) '),
      'push: the setup action reports the tools\' version');
  }
  const setupLog = lines(path.join(tmp, 'setup.log'));
  check(setupLog.length === 4 && setupLog.every((line) => line === `setup line ran in ${project}`),
    `push: the setup line ran once per job, in the repository root: ${setupLog.join(' | ')}`);

  current = jobs.bitacc;
  check(!jobs.bitacc.failed, 'push: qa-bitacc must pass without reference results');
  check(jobs.bitacc.outputs.verdict === 'no-reference', `push: qa-bitacc's verdict: ${jobs.bitacc.outputs.verdict}`);
  const warnings = jobs.bitacc.annotations().filter((a) => a.level === 'warning' && a.properties.title === 'qa-bitacc');
  check(warnings.length === 1 && warnings[0].message.includes('no reference results'),
    `push: one ::warning says there are no reference results: ${JSON.stringify(jobs.bitacc.annotations())}`);
  check(!jobs.bitacc.annotations().some((a) => a.level === 'error'), 'push: qa-bitacc annotates no error');
  check(jobs.bitacc.summary.includes('no reference results'), `push: qa-bitacc's job summary: ${jobs.bitacc.summary}`);
  // A shard that failed fails the gate, whatever qa-bitacc says of the records it has.
  current = runWorkflowJob(workflow, 'qa-bitacc', {
    workspace: project, tempRoot: path.join(tmp, 'push-shard-failed'), env: pushEnv,
    artifacts, inputs, github, needs: { 'qa-batch': { result: 'failure', outputs: {} } },
  });
  check(current.failed && current.outputs.verdict === 'no-reference'
    && current.annotations().some((a) => a.level === 'error' && a.message.includes('qa-batch did not succeed (failure)')),
  'push: qa-bitacc fails when a qa-batch shard failed');
  current = jobs.bitacc;
  const download = usesOf(jobs.bitacc, 'actions/download-artifact@v4');
  check(download.length === 1 && download[0].with.pattern === 'qa-records-*' && download[0].with['merge-multiple'] === 'true',
    `push: qa-bitacc downloads every shard's records: ${JSON.stringify(download)}`);

  current = jobs.report;
  check(!jobs.report.failed, 'push: qa-report passes (every run new)');
  check(jobs.report.summary.startsWith('<!-- qa-report:default -->'), `push: qa-report's job summary: ${jobs.report.summary.slice(0, 200)}`);
  check(jobs.report.summary.split('<!-- qa-report:').length === 2, 'push: the job summary holds the report once');
  const report = path.join(artifacts, 'qa-report');
  for (const file of ['summary.md', 'index.html', 'junit.xml', 'metrics.txt', 'report.json']) {
    check(fs.existsSync(path.join(report, file)), `push: the qa-report artifact holds ${file}`);
  }
  const json = JSON.parse(fs.readFileSync(path.join(report, 'report.json'), 'utf8'));
  check(json.schema === 'qa.report/1' && json.totals.runs === 2 && json.totals.new === 2, `push: report.json: ${JSON.stringify(json.totals)}`);
}

function pullRequest(commitA, commitB, env) {
  const inputs = workflowInputs({ batch: 'smoke', shards: 2, store: path.join(tmp, 'store'), 'qatools-bin': options.tools });
  const github = { repository: 'acme/denoise', sha: commitB, ref_name: '1/merge', head_ref: 'weaker', base_ref: 'main', event_name: 'pull_request' };
  const prEnv = { ...env, GITHUB_SHA: commitB, GITHUB_REF_NAME: '1/merge', GITHUB_HEAD_REF: 'weaker', GITHUB_BASE_REF: 'main' };
  const { jobs, artifacts } = runPipeline('pull-request', { inputs, github, env: prEnv });
  for (const [index, job] of jobs.batch.entries()) {
    current = job;
    check(!job.failed, `pull request: qa-batch shard ${index} failed`);
  }

  current = jobs.bitacc;
  check(jobs.bitacc.failed, 'pull request: qa-bitacc must fail: the outputs changed');
  check(jobs.bitacc.outputs.verdict === 'different', `pull request: qa-bitacc's verdict: ${jobs.bitacc.outputs.verdict}`);
  const errors = jobs.bitacc.annotations().filter((a) => a.level === 'error');
  const titles = errors.map((a) => a.properties.title).sort();
  check(JSON.stringify(titles) === JSON.stringify(['qa-bitacc default/default/2277c7f6-street_night.png', 'qa-bitacc default/default/gradient.png']),
    `pull request: one ::error per run, naming it: ${JSON.stringify(errors)}`);
  check(errors.every((a) => a.message.includes('denoised.png')), 'pull request: the annotations name the changed file');
  check(jobs.bitacc.summary.includes('### Bit-accuracy') && jobs.bitacc.summary.includes('| default/default/gradient.png | different |'),
    `pull request: qa-bitacc's Markdown is in the job summary: ${jobs.bitacc.summary}`);
  check(jobs.bitacc.summary.includes(commitA.slice(0, 12)), 'pull request: qa-bitacc compared with commit A');

  current = jobs.report;
  check(jobs.report.failed, 'pull request: qa-report must fail its regression gate (PSNR fell beyond its tolerance)');
  check(jobs.report.annotations().some((a) => a.level === 'error' && a.properties.title === 'qa-report' && a.message.includes('fail-on: regression')),
    `pull request: qa-report's gate is annotated: ${JSON.stringify(jobs.report.annotations())}`);
  check(jobs.report.summary.startsWith('<!-- qa-report:default -->') && jobs.report.summary.includes(commitA.slice(0, 12)),
    `pull request: the job summary holds the report against commit A: ${jobs.report.summary.slice(0, 300)}`);
  const upload = usesOf(jobs.report, 'actions/upload-artifact@v4');
  check(upload.length === 1 && upload[0].with.name === 'qa-report', `pull request: the reports are uploaded despite the gate: ${JSON.stringify(upload)}`);
  const report = path.join(artifacts, 'qa-report');
  for (const file of ['summary.md', 'index.html', 'junit.xml', 'metrics.txt', 'report.json']) {
    check(fs.existsSync(path.join(report, file)), `pull request: the qa-report artifact holds ${file}`);
  }
  const json = JSON.parse(fs.readFileSync(path.join(report, 'report.json'), 'utf8'));
  check(json.reference.commit === commitA && json.totals.regressions > 0 && json.totals.bit_different === 2,
    `pull request: report.json compares with A and finds the regression: ${JSON.stringify(json.totals)}`);
  check(fs.readFileSync(path.join(report, 'junit.xml'), 'utf8').includes('<failure'), 'pull request: junit.xml holds failures');
  check(fs.readFileSync(path.join(report, 'metrics.txt'), 'utf8').trimEnd().endsWith('# EOF'), 'pull request: metrics.txt is OpenMetrics');
}

function actionsAlone(env) {
  const store = path.join(tmp, 'store');
  const jobOptions = (name, extraEnv = {}) => ({ workspace: project, tempRoot: path.join(tmp, name), env: { ...env, ...extraEnv }, artifacts: path.join(tmp, name, 'artifacts') });
  const withTools = { PATH: `${options.tools}:${env.PATH}` };

  // qa-bitacc reading the batch's runs from the store instead of records.
  current = runCompositeAction(path.join(templates, 'bitacc'), { batch: 'smoke', store }, jobOptions('bitacc-store', withTools));
  check(current.failed && current.outputs.verdict === 'different' && current.outputs['exit-code'] === '1',
    `bitacc from the store: ${JSON.stringify(current.outputs)}`);
  check(current.annotations().filter((a) => a.level === 'error').length === 2, 'bitacc from the store: two ::error annotations');

  // fail-on never passes the same regression; no comment unless asked.
  current = runCompositeAction(path.join(templates, 'report'), { batch: 'smoke', store, 'fail-on': 'never', upload: 'false' }, jobOptions('report-never', withTools));
  check(!current.failed && current.outputs['exit-code'] === '0', `report fail-on never: ${JSON.stringify(current.outputs)}`);
  check(current.uses.length === 1, 'report with upload false uploads nothing');
  check(fs.existsSync(current.outputs.html) && fs.existsSync(current.outputs.summary), 'report fail-on never: its files');
  current = runCompositeAction(path.join(templates, 'report'), { batch: 'smoke', store, 'fail-on': 'sometimes' }, jobOptions('report-bad', withTools));
  check(current.failed && current.annotations().some((a) => a.level === 'error' && a.message.includes('invalid fail-on')), 'report refuses fail-on sometimes');

  // comment: true, and only then, passes --comment github (a stand-in qa-report logs its arguments).
  const shim = path.join(tmp, 'shim');
  fs.mkdirSync(shim, { recursive: true });
  fs.writeFileSync(path.join(shim, 'qa-report'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$QA_REPORT_ARGS"\nprintf "token=%s\\n" "$GITHUB_TOKEN" >> "$QA_REPORT_ARGS"\n', { mode: 0o755 });
  for (const comment of ['true', 'false']) {
    const argsFile = path.join(tmp, `report-args-${comment}`);
    current = runCompositeAction(path.join(templates, 'report'), { batch: 'smoke', store, comment, upload: 'false' },
      jobOptions(`report-comment-${comment}`, { PATH: `${shim}:${withTools.PATH}`, QA_REPORT_ARGS: argsFile }));
    check(!current.failed, `report comment ${comment}: the step passes`);
    const args = lines(argsFile);
    const at = args.indexOf('--comment');
    check(comment === 'true' ? at >= 0 && args[at + 1] === 'github' : at < 0, `report comment ${comment}: qa-report's arguments: ${args.join(' ')}`);
    check(args.includes('token=harness-token'), 'report: the token reaches qa-report as GITHUB_TOKEN');
  }

  // setup: a folder without the tools is refused, by name.
  current = runCompositeAction(path.join(templates, 'setup'), { bin: tmp }, jobOptions('setup-bad'));
  check(current.failed && current.annotations().some((a) => a.level === 'error' && a.message.includes('no qa-run in')),
    'setup refuses a bin folder without qa-run');
  current = runCompositeAction(path.join(templates, 'setup'), { bin: options.tools }, jobOptions('setup-ok'));
  check(!current.failed && current.outputs.bin === fs.realpathSync(options.tools), `setup puts the tools on PATH: ${JSON.stringify(current.outputs)}`);

  // setup from a .deb: apt-get (a stand-in that fails until `update` ran) installs it by its
  // absolute path, after refreshing the package lists.
  const apt = path.join(tmp, 'apt');
  fs.mkdirSync(apt, { recursive: true });
  fs.writeFileSync(path.join(apt, 'apt-get'), '#!/bin/sh\nprintf "%s %s\\n" "$DEBIAN_FRONTEND" "$*" >> "$APT_LOG"\n'
    + 'case "$1" in update) touch "$APT_LOG.updated" ;; install) [ -e "$APT_LOG.updated" ] || exit 100 ;; esac\n', { mode: 0o755 });
  fs.writeFileSync(path.join(project, 'qatools.deb'), 'not really a package');
  const aptLog = path.join(tmp, 'apt.log');
  current = runCompositeAction(path.join(templates, 'setup'), { deb: 'qatools.deb' },
    jobOptions('setup-deb', { PATH: `${apt}:${withTools.PATH}`, APT_LOG: aptLog, DEBIAN_FRONTEND: '' }));
  const deb = path.join(fs.realpathSync(project), 'qatools.deb');
  check(!current.failed && JSON.stringify(lines(aptLog)) === JSON.stringify([
    `noninteractive install -y --no-install-recommends ${deb}`, ' update -qq', `noninteractive install -y --no-install-recommends ${deb}`]),
  `setup installs the .deb with apt-get by its path: ${lines(aptLog).join(' | ')}`);
  current = runCompositeAction(path.join(templates, 'setup'), { deb: 'qatools.deb', bin: options.tools }, jobOptions('setup-both'));
  check(current.failed && current.annotations().some((a) => a.level === 'error' && a.message.includes('not both')), 'setup refuses deb and bin together');

  // batch: a shard out of range is refused before anything runs or is uploaded.
  current = runCompositeAction(path.join(templates, 'batch'), { batch: 'smoke', 'shard-index': '2', 'shard-total': '2', store }, jobOptions('batch-bad', withTools));
  check(current.failed && current.uses.length === 1 && current.annotations().some((a) => a.level === 'error' && a.message.includes('invalid shard')),
    'batch refuses shard 2 of 2, uploads nothing');

  // The shard list: 3 shards, and a refused 0.
  const shardsJob = (shards) => runWorkflowJob(workflow, 'qa-shards', { ...jobOptions(`shards-${shards}`), inputs: workflowInputs({ batch: 'smoke', shards }) });
  current = shardsJob(3);
  check(!current.failed && current.outputs.shards === '[0,1,2]', `3 shards: ${current.outputs.shards}`);
  current = shardsJob(0);
  check(current.failed && current.annotations().some((a) => a.level === 'error'), '0 shards are refused');
}

let status = 0;
try {
  const commitA = makeProject();
  const env = baseEnv;
  pushToMain(commitA, env);
  git('checkout', '-q', '-b', 'weaker');
  const config = path.join(project, 'qaboard.yaml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('params: {strength: 0.5, sigma: 2}', 'params: {strength: 0.25, sigma: 2}'));
  git('commit', '-q', '-am', 'B: weaker denoising (0.25)');
  const commitB = git('rev-parse', 'HEAD');
  pullRequest(commitA, commitB, env);
  actionsAlone(env);
  console.log(`github actions: ${checks} checks passed (${tmp} removed)`);
} catch (error) {
  status = 1;
  console.error(`github actions: FAILED: ${error instanceof CheckFailed ? error.message : error.stack}`);
  if (current) {
    console.error(`-- steps:\n${current.log.join('\n')}\n-- stdout:\n${current.stdout}\n-- stderr:\n${current.stderr}\n-- summary:\n${current.summary}`);
  }
  console.error(`(kept ${tmp})`);
}
if (status === 0) fs.rmSync(tmp, { recursive: true, force: true });
process.exit(status);
