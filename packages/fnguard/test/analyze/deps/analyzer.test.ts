/** The dependency pipeline end to end through scan(): per-function lockfiles, layers, dev, diagnostics, online. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { scan } from '../../../src/scan.js';
import { PKG_DIR, rmTree, tmpTree } from '../../helpers/index.js';

const DB = join(PKG_DIR, 'data', 'osv-fixture');
const lock = (pkgs: Record<string, { v: string; dev?: boolean }>, root: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      lockfileVersion: 3,
      packages: {
        '': {
          dependencies: Object.fromEntries(
            Object.entries(pkgs)
              .filter(([, p]) => !p.dev)
              .map(([n]) => [n, '*']),
          ),
          ...root,
        },
        ...Object.fromEntries(
          Object.entries(pkgs).map(([n, p]) => [
            `node_modules/${n}`,
            { version: p.v, resolved: `https://registry.npmjs.org/${n}/-/${n}-${p.v}.tgz`, ...(p.dev ? { dev: true } : {}) },
          ]),
        ),
      },
    },
    null,
    2,
  );

const SAM = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: orders/
      Handler: index.handler
      Layers: [!Ref Deps]
  Users:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: users/
      Handler: index.handler
  Report:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: report/
      Handler: app.handler
`;

function project() {
  return tmpTree({
    'template.yaml': SAM,
    'orders/index.js': "const _ = require('lodash');\nexports.handler = async () => _.identity(1);\n",
    'orders/package-lock.json': lock(
      { lodash: { v: '4.17.11' }, minimist: { v: '1.2.5', dev: true } },
      { devDependencies: { minimist: '*' } },
    ),
    'users/index.js': 'exports.handler = async () => 1;\n',
    'users/package-lock.json': lock({ axios: { v: '0.21.1' } }),
    'layer/nodejs/package-lock.json': lock({ 'node-fetch': { v: '2.6.1' } }),
    'report/app.py': 'import yaml\n',
    'report/requirements.txt': 'PyYAML==5.3.1\n',
    'report/requirements-dev.txt': 'urllib3==1.26.4\n',
  });
}

test('each function gets its own lockfile, its layers, production only; reachability from its handler', async () => {
  const dir = project();
  try {
    const r = await scan({ root: dir, rules: ['DEP-*'], advisoryDb: DB });
    const by = (fn: string) =>
      r.findings
        .filter((f) => f.function?.endsWith(`#${fn}`))
        .map(
          (f) =>
            `${f.ruleId} ${(f.details as { package: string }).package} ${f.severity} ${(f.details as { reachability: string }).reachability}`,
        )
        .sort();
    assert.deepEqual(by('Orders'), [
      'DEP-01 lodash critical imported',
      'DEP-01 lodash high imported',
      'DEP-01 node-fetch high unknown', // from the layer
    ]);
    assert.deepEqual(by('Users'), ['DEP-01 axios medium not-imported']);
    assert.deepEqual(by('Report'), ['DEP-02 pyyaml critical imported']);
    const lodash = r.findings.find((f) => (f.details as { package?: string }).package === 'lodash');
    assert.equal(lodash?.location.file, 'orders/package-lock.json');
    assert.match(lodash?.message ?? '', /imported by the handler \(orders\/index\.js:1\)/);
    assert.deepEqual(((lodash?.details ?? {}) as { ids?: string[] }).ids?.slice(0, 2), ['GHSA-jf85-cpcp-j695', 'CVE-2019-10744']);
    const orders = r.functions.find((f) => f.name === 'Orders');
    assert.ok(
      orders?.risk.factors.some((f) => f.id === 'finding:DEP-01'),
      'dependency findings feed the risk score',
    );
    assert.equal((r.summary.dependencies as { lockfiles: number }).lockfiles, 5);

    const dev = await scan({ root: dir, rules: ['DEP-*'], advisoryDb: DB, includeDev: true });
    const devFindings = dev.findings.map((f) => `${(f.details as { package: string }).package} ${f.severity}`);
    assert.ok(devFindings.includes('minimist high'), 'dev dependency, one level lower (critical -> high)');
    assert.ok(devFindings.includes('urllib3 medium'), 'requirements-dev.txt counts with --include-dev');
  } finally {
    rmTree(dir);
  }
});

test('a malformed lockfile is a diagnostic with file and line; no database is a warning', async () => {
  const dir = tmpTree({
    'serverless.yml': 'service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  a:\n    handler: h.main\n',
    'h.js': 'exports.main = async () => 1;\n',
    'package-lock.json': '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/x": { "version": \n  }\n}\n',
  });
  try {
    const r = await scan({ root: dir, rules: ['DEP-*'], extra: { cacheDir: join(dir, 'no-cache') } });
    const d = r.diagnostics.find((x) => x.code === 'lockfile-parse');
    assert.equal(d?.file, 'package-lock.json');
    assert.equal(d?.line, 5);
    assert.ok(r.diagnostics.some((x) => x.code === 'advisory-db-missing' && x.level === 'warning'));
  } finally {
    rmTree(dir);
  }
});

test('--online asks OSV’s batch API (a loopback server here) and reports what it returns', async () => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url === '/v1/querybatch') {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const q = JSON.parse(body) as { queries: { package: { name: string } }[] };
        res.end(
          JSON.stringify({ results: q.queries.map((x) => (x.package.name === 'lodash' ? { vulns: [{ id: 'GHSA-online-1' }] } : {})) }),
        );
      });
      return;
    }
    if (req.url === '/v1/vulns/GHSA-online-1') {
      res.end(
        JSON.stringify({
          id: 'GHSA-online-1',
          aliases: ['CVE-2099-1'],
          summary: 'served by the test server',
          affected: [
            {
              package: { ecosystem: 'npm', name: 'lodash' },
              ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.12' }] }],
            },
          ],
          database_specific: { severity: 'HIGH' },
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = tmpTree({
    'serverless.yml': 'service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  a:\n    handler: h.main\n',
    'h.js': "require('lodash');\nexports.main = async () => 1;\n",
    'package-lock.json': lock({ lodash: { v: '4.17.11' } }),
  });
  try {
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await scan({ root: dir, rules: ['DEP-01'], online: true, extra: { osvApi: api, cacheDir: join(dir, 'no-cache') } });
    assert.deepEqual(
      r.findings.map((f) => (f.details as { advisory: string }).advisory),
      ['GHSA-online-1'],
    );
    assert.deepEqual(requests, ['POST /v1/querybatch', 'GET /v1/vulns/GHSA-online-1']);
    const offline = await scan({ root: dir, rules: ['DEP-01'], extra: { osvApi: api, cacheDir: join(dir, 'no-cache') } });
    assert.equal(offline.findings.length, 0);
    assert.equal(requests.length, 2, 'no request without --online');
  } finally {
    server.close();
    rmTree(dir);
  }
});
