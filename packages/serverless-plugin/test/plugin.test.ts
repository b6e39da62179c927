/**
 * The plugin driven by a real Serverless Framework v3 installation (the `serverless`
 * devDependency), offline: each case writes a small service, runs `serverless package` or
 * `serverless deploy` as a child process with no AWS credentials, telemetry off, HOME in a temp
 * dir, and (where the machine allows it: root with util-linux) in a network namespace with no
 * network at all (`unshare -n`), so a test that needed the network would fail.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PKG_DIR = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const SLS_BIN = join(dirname(require.resolve('serverless/package.json')), 'bin', 'serverless.js');
const SLS_VERSION = (require('serverless/package.json') as { version: string }).version;
const PLUGIN_MAIN = join(PKG_DIR, 'dist', 'index.js');

/** A network namespace is available (root + unshare): run the Framework without any network. */
const OFFLINE_NS = process.platform === 'linux' && spawnSync('unshare', ['-n', 'true']).status === 0;

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function service(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fnguard-sls-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function slsYml(opts: { runtime?: string; iamStar?: boolean; url?: boolean; fnguard?: string; extraPlugins?: string[] }): string {
  return [
    'service: fnguard-plugin-test',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    `  runtime: ${opts.runtime ?? 'nodejs24.x'}`,
    '  region: eu-west-1',
    ...(opts.iamStar
      ? ['  iam:', '    role:', '      statements:', '        - Effect: Allow', "          Action: '*'", "          Resource: '*'"]
      : []),
    'functions:',
    '  api:',
    '    handler: src/api.handler',
    ...(opts.url ? ['    url: true'] : []),
    'plugins:',
    `  - ${PKG_DIR}`,
    ...(opts.extraPlugins ?? []).map((p) => `  - ${p}`),
    'custom:',
    '  fnguard:',
    ...(opts.fnguard ?? '    failOn: high').split('\n'),
    '',
  ].join('\n');
}

const HANDLER = 'exports.handler = async () => ({ statusCode: 200, body: "ok" });\n';

/** A local plugin that adds a public function URL to the compiled template (as plugins do). */
const ADD_PUBLIC_URL = `'use strict';
class AddPublicUrl {
  constructor(serverless) {
    this.hooks = {
      'package:compileEvents': () => {
        const r = serverless.service.provider.compiledCloudFormationTemplate.Resources;
        r.ApiLambdaFunctionUrl = { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': ['ApiLambdaFunction', 'Arn'] } } };
        r.ApiLambdaPermissionFnUrl = { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunctionUrl', FunctionName: { 'Fn::GetAtt': ['ApiLambdaFunction', 'Arn'] }, Principal: '*', FunctionUrlAuthType: 'NONE' } };
      },
    };
  }
}
module.exports = AddPublicUrl;
`;

interface Run {
  code: number | null;
  out: string;
}

function sls(dir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const home = join(dir, '.home');
  mkdirSync(home, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_DEPRECATION_DISABLE: '*',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
    SLS_DISABLE_AUTO_UPDATE: '1',
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    ...extraEnv,
  };
  const [cmd, argv] = OFFLINE_NS ? ['unshare', ['-n', process.execPath, SLS_BIN, ...args]] : [process.execPath, [SLS_BIN, ...args]];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd as string, argv as string[], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, out });
    });
  });
}

describe(`serverless plugin with serverless ${SLS_VERSION}${OFFLINE_NS ? ' (offline: in a network namespace without network)' : ''}`, () => {
  test('the plugin is built and the Framework is v3', () => {
    assert.ok(existsSync(PLUGIN_MAIN), `${PLUGIN_MAIN} missing: run \`npm run build\` first`);
    assert.match(SLS_VERSION, /^3\./);
    // the Framework require()s the package and expects the plugin class
    const Plugin = require(PKG_DIR) as new (...a: unknown[]) => { hooks: Record<string, unknown> };
    const p = new Plugin({ service: { provider: {}, custom: {} } }, {}, {});
    assert.deepEqual(Object.keys(p.hooks).sort(), [
      'after:package:finalize',
      'before:deploy:deploy',
      'before:package:finalize',
      'fnguard:scan',
    ]);
  });

  test('package: a source finding at or above failOn stops packaging before the template is saved; the report is written', async () => {
    const dir = service({
      'serverless.yml': slsYml({
        iamStar: true,
        fnguard: '    failOn: critical\n    reports:\n      - { format: html, output: reports/fnguard.html }',
      }),
      'src/api.js': HANDLER,
    });
    const r = await sls(dir, ['package']);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /fnguard \(sources\): \d+ findings/);
    assert.match(r.out, /CRITICAL PERM-01 serverless\.yml:\d+/);
    assert.match(r.out, /fnguard: 1 finding at or above 'critical' in the service/);
    assert.equal(existsSync(join(dir, '.serverless', 'cloudformation-template-update-stack.json')), false, 'stopped before finalize');
    assert.match(readFileSync(join(dir, 'reports', 'fnguard.html'), 'utf8'), /<title>fnguard report: /);
  });

  test('package: a clean service packages; the compiled template is scanned too', async () => {
    const dir = service({ 'serverless.yml': slsYml({}), 'src/api.js': HANDLER });
    const r = await sls(dir, ['package']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /fnguard \(sources\): \d+ findings? \(0 critical, 0 high/);
    assert.match(r.out, /fnguard \(compiled template\): \d+ findings? not already reported for the sources \(0 critical, 0 high/);
    assert.ok(existsSync(join(dir, '.serverless', 'cloudformation-template-update-stack.json')));
  });

  test('package: what only the compiled template shows (a public URL added by another plugin) stops packaging', async () => {
    const dir = service({
      'serverless.yml': slsYml({ extraPlugins: ['./add-public-url'] }),
      'src/api.js': HANDLER,
      'add-public-url.js': ADD_PUBLIC_URL,
    });
    const r = await sls(dir, ['package']);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /HIGH EXPO-01 \.serverless\/cloudformation-template-update-stack\.json:\d+/);
    assert.match(r.out, /at or above 'high' in the compiled template/);
    // the line points into the template the Framework wrote
    const line = Number(/EXPO-01 \.serverless\/cloudformation-template-update-stack\.json:(\d+)/.exec(r.out)?.[1]);
    const text = readFileSync(join(dir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8').split('\n');
    assert.match(text.slice(Math.max(0, line - 3), line + 3).join('\n'), /AuthType|ApiLambdaFunctionUrl/);
  });

  test('deploy: the gate runs inside the deploy and stops it before AWS is contacted', async () => {
    const dir = service({ 'serverless.yml': slsYml({ url: true }), 'src/api.js': HANDLER });
    const r = await sls(dir, ['deploy']);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /HIGH EXPO-01 serverless\.yml:\d+/);
    assert.match(r.out, /fnguard: \d+ findings? at or above 'high' in the service/);
    assert.doesNotMatch(r.out, /credentials/i, 'stopped before the AWS deploy steps');
  });

  test('deploy: a clean service passes the gate and the deploy goes on to AWS (which fails here: no credentials)', async () => {
    const dir = service({ 'serverless.yml': slsYml({}), 'src/api.js': HANDLER });
    const r = await sls(dir, ['deploy']);
    assert.notEqual(r.code, 0, 'no AWS here, so the deploy itself cannot succeed');
    assert.match(r.out, /fnguard \(compiled template\)/);
    assert.doesNotMatch(r.out, /fnguard: \d+ findings? at or above/);
    assert.match(r.out, /credentials|ENOTFOUND|EAI_AGAIN|ENETUNREACH|network/i, r.out);
  });

  test('deploy --package DIR: the gate checks the sources and DIR in before:deploy:deploy', async () => {
    const dir = service({
      'serverless.yml': slsYml({ extraPlugins: ['./add-public-url'] }),
      'src/api.js': HANDLER,
      'add-public-url.js': ADD_PUBLIC_URL,
    });
    // packaged elsewhere without the gate (FNGUARD_SKIP), then deployed from the artifact
    const p = await sls(dir, ['package', '--package', 'artifact'], { FNGUARD_SKIP: '1' });
    assert.equal(p.code, 0, p.out);
    assert.match(p.out, /fnguard: skipped \(FNGUARD_SKIP is set\)/);
    assert.ok(existsSync(join(dir, 'artifact', 'cloudformation-template-update-stack.json')));
    const d = await sls(dir, ['deploy', '--package', 'artifact']);
    assert.notEqual(d.code, 0);
    // the artifact directory is not scanned as a source: its finding shows once, as the compiled template's
    assert.match(d.out, /fnguard \(sources\): \d+ findings? \(0 critical, 0 high/, d.out);
    assert.match(d.out, /HIGH EXPO-01 artifact\/cloudformation-template-update-stack\.json:\d+/);
    assert.match(d.out, /at or above 'high' in the compiled template/, d.out);
    assert.doesNotMatch(d.out, /credentials/i, 'stopped before the AWS deploy steps');
  });

  test('custom.fnguard is validated by the Framework schema and the plugin', async () => {
    const dir = service({ 'serverless.yml': slsYml({ fnguard: '    failOn: sometimes' }), 'src/api.js': HANDLER });
    const r = await sls(dir, ['package']);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /at 'custom\.fnguard\.failOn': must be equal to one of the allowed values/, 'the Framework validates the schema');
    assert.match(r.out, /fnguard: failOn must be critical, high, medium, low or none \(got 'sometimes'\)/, 'and the plugin refuses it');
  });

  test('serverless fnguard runs the scan on demand', async () => {
    const dir = service({ 'serverless.yml': slsYml({ url: true, fnguard: '    failOn: none' }), 'src/api.js': HANDLER });
    const r = await sls(dir, ['fnguard']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /fnguard \(sources\)/);
    const f = await sls(dir, ['fnguard', '--fail-on', 'high']);
    assert.notEqual(f.code, 0);
    assert.match(f.out, /EXPO-01/);
  });
});
