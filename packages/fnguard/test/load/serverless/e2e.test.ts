import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../../src/cli/run.js';
import { FIXTURES } from './helpers.js';

async function scanJson(dir: string, ...args: string[]) {
  let out = '';
  const code = await run(['scan', dir, '--format', 'json', '--fail-on', 'none', ...args], {
    stdout: (s) => {
      out += s;
    },
    stderr: () => {},
    cwd: dir,
    env: {},
    isTTY: false,
    writeFile: async () => {},
    readFile: (p) => readFile(p, 'utf8'),
  });
  return {
    code,
    json: JSON.parse(out) as {
      functions: { id: string }[];
      findings: { ruleId: string; location: { file: string; line: number } }[];
      diagnostics: unknown[];
    },
  };
}

describe('serverless adapter: end to end through fnguard scan', () => {
  it('finds the v3 fixture weaknesses at their lines, with --stage', async () => {
    const { code, json } = await scanJson(join(FIXTURES, 'v3'), '--stage', 'prod');
    assert.equal(code, 0);
    // the fixture has no handler code: the code analysis says so at info level (issue 3)
    assert.deepEqual(
      json.diagnostics.filter((d) => (d as { code?: string }).code !== 'code-not-found'),
      [],
    );
    assert.equal(json.functions.length, 5);
    const at = (rule: string) =>
      json.findings
        .filter((f) => f.ruleId === rule)
        .map((f) => `${f.location.file}:${f.location.line}`)
        .sort();
    assert.deepEqual(at('EXPO-01'), ['serverless.yml:121']);
    assert.deepEqual(at('EXPO-05'), ['serverless.yml:81']);
    assert.deepEqual(at('SEC-01'), ['serverless.yml:33']);
    assert.deepEqual(at('SEC-03'), ['serverless.yml:30']);
    assert.deepEqual(at('SEC-05'), ['serverless.yml:38']);
    assert.deepEqual(at('PERM-08'), ['serverless.yml:56']);
  });
});
