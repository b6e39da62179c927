import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { shippedPackages } from '../../../src/analyze/deps/graph.js';
import { parseJsonWithLines } from '../../../src/analyze/deps/jsonPos.js';
import { parseLockfile } from '../../../src/analyze/deps/lockfiles/index.js';
import { manifestDeps } from '../../../src/analyze/deps/lockfiles/manifest.js';
import { pyprojectDeps } from '../../../src/analyze/deps/lockfiles/python.js';
import { LockfileError, type ShippedPackage } from '../../../src/analyze/deps/types.js';

const ctx = { root: '/r', maxFileSize: 1e6 };
const names = (list: ShippedPackage[]) => list.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`).sort();
const find = (list: ShippedPackage[], n: string) => list.find((p) => p.name === n) as ShippedPackage;

const NPM_V3 = `{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "app", "dependencies": { "express": "^4" }, "devDependencies": { "jest": "^29" } },
    "node_modules/express": { "version": "4.17.1", "resolved": "https://registry.npmjs.org/express/-/express-4.17.1.tgz", "dependencies": { "qs": "6.7.0" } },
    "node_modules/qs": { "version": "6.7.0", "resolved": "https://registry.npmjs.org/qs/-/qs-6.7.0.tgz" },
    "node_modules/express/node_modules/qs": { "version": "6.5.0", "resolved": "https://registry.npmjs.org/qs/-/qs-6.5.0.tgz" },
    "node_modules/jest": { "version": "29.0.0", "resolved": "https://registry.npmjs.org/jest/-/jest-29.0.0.tgz", "dev": true, "hasInstallScript": true },
    "node_modules/gitdep": { "version": "1.0.0", "resolved": "git+ssh://git@github.com/x/gitdep.git#abc" }
  }
}`;

describe('package-lock.json', () => {
  test('v3: nested install wins (Node resolution), dev left out by default, lines kept', () => {
    const { graph } = parseLockfile('package-lock', NPM_V3, '/r/package-lock.json', ctx);
    const prod = shippedPackages(graph, '', false);
    assert.deepEqual(names(prod), ['express@4.17.1', 'qs@6.5.0']);
    const qs = find(prod, 'qs');
    assert.deepEqual(qs.path, ['express', 'qs']);
    assert.equal(qs.where.line, 8);
    assert.equal(find(prod, 'express').direct, true);
    const all = shippedPackages(graph, '', true);
    assert.ok(names(all).includes('jest@29.0.0 dev'));
    assert.equal(find(all, 'jest').installScript, true);
    assert.equal(graph.nodes.get('node_modules/gitdep')?.source, 'git');
  });

  test('v2 workspaces: the function in packages/api gets that workspace’s dependencies', () => {
    const text = JSON.stringify({
      lockfileVersion: 2,
      packages: {
        '': { workspaces: ['packages/*'] },
        'packages/api': { name: 'api', dependencies: { lodash: '^4' } },
        'packages/web': { name: 'web', dependencies: { react: '^18' } },
        'node_modules/api': { resolved: 'packages/api', link: true },
        'node_modules/lodash': { version: '4.17.20', resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz' },
        'node_modules/react': { version: '18.0.0', resolved: 'https://registry.npmjs.org/react/-/react-18.0.0.tgz' },
      },
    });
    const { graph } = parseLockfile('package-lock', text, '/r/package-lock.json', ctx);
    assert.deepEqual(names(shippedPackages(graph, 'packages/api/src', false)), ['lodash@4.17.20']);
    assert.deepEqual(names(shippedPackages(graph, 'packages/web', false)), ['react@18.0.0']);
  });

  test('v1: nested dependencies and requires; roots from package.json', () => {
    const text = `{
  "lockfileVersion": 1,
  "dependencies": {
    "a": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "requires": { "b": "^2" },
      "dependencies": { "b": { "version": "2.0.0", "resolved": "https://registry.npmjs.org/b/-/b-2.0.0.tgz" } } },
    "b": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/b/-/b-1.0.0.tgz" },
    "t": { "version": "3.0.0", "dev": true, "resolved": "https://registry.npmjs.org/t/-/t-3.0.0.tgz" }
  }
}`;
    const m = manifestDeps({ dependencies: { a: '^1', b: '^1' }, devDependencies: { t: '^3' } });
    const { graph } = parseLockfile('package-lock', text, '/r/package-lock.json', { ...ctx, ...(m ? { packageJson: m } : {}) });
    const prod = shippedPackages(graph, '', false);
    assert.deepEqual(names(prod), ['a@1.0.0', 'b@1.0.0', 'b@2.0.0']);
    assert.deepEqual(prod.find((p) => p.version === '2.0.0')?.path, ['a', 'b']);
    assert.equal(prod.find((p) => p.version === '2.0.0')?.where.line, 5);
  });

  test('malformed JSON is a LockfileError with the line', () => {
    assert.throws(
      () => parseLockfile('package-lock', '{\n  "lockfileVersion": 3,\n  "packages": {\n    "x": }\n}', '/r/p.json', ctx),
      (e: unknown) => e instanceof LockfileError && e.line === 4,
    );
  });
});

describe('yarn.lock', () => {
  test('v1: specifiers, dependencies, roots from package.json', () => {
    const text = `# yarn lockfile v1


"@scope/a@^1.0.0", "@scope/a@^1.1.0":
  version "1.2.0"
  resolved "https://registry.yarnpkg.com/@scope/a/-/a-1.2.0.tgz#abc"
  dependencies:
    b "^2.0.0"

b@^2.0.0:
  version "2.1.0"
  resolved "https://registry.yarnpkg.com/b/-/b-2.1.0.tgz#def"

dev@^1:
  version "1.0.0"
  resolved "https://registry.yarnpkg.com/dev/-/dev-1.0.0.tgz"
`;
    const m = manifestDeps({ dependencies: { '@scope/a': '^1.1.0' }, devDependencies: { dev: '^1' } });
    const { graph } = parseLockfile('yarn-lock', text, '/r/yarn.lock', { ...ctx, ...(m ? { packageJson: m } : {}) });
    const prod = shippedPackages(graph, '', false);
    assert.deepEqual(names(prod), ['@scope/a@1.2.0', 'b@2.1.0']);
    assert.deepEqual(find(prod, 'b').path, ['@scope/a', 'b']);
    assert.equal(find(prod, 'b').where.line, 10);
    assert.deepEqual(names(shippedPackages(graph, '', true)), ['@scope/a@1.2.0', 'b@2.1.0', 'dev@1.0.0 dev']);
  });

  test('berry: YAML with __metadata and workspace entries', () => {
    const text = `__metadata:
  version: 8
  cacheKey: 10c0

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    lodash: "npm:^4.17.0"
  languageName: unknown
  linkType: soft

"lodash@npm:^4.17.0":
  version: 4.17.15
  resolution: "lodash@npm:4.17.15"
  checksum: 10c0/abc
  languageName: node
  linkType: hard
`;
    const { graph } = parseLockfile('yarn-lock', text, '/r/yarn.lock', ctx);
    const prod = shippedPackages(graph, '', false);
    assert.deepEqual(names(prod), ['lodash@4.17.15']);
    assert.equal(find(prod, 'lodash').where.line, 13);
  });

  test('garbage is a LockfileError with a line', () => {
    assert.throws(
      () => parseLockfile('yarn-lock', 'not a lockfile\n', '/r/yarn.lock', ctx),
      (e: unknown) => e instanceof LockfileError && e.line === 1,
    );
  });
});

describe('pnpm-lock.yaml', () => {
  test('v6: importers at the top level, /name@version keys, peer suffixes', () => {
    const text = `lockfileVersion: '6.0'
dependencies:
  express:
    specifier: ^4.17.1
    version: 4.17.1(supports-color@8.0.0)
devDependencies:
  jest:
    specifier: ^29
    version: 29.0.0
packages:
  /express@4.17.1(supports-color@8.0.0):
    resolution: {integrity: sha512-x}
    dependencies:
      qs: 6.7.0
    dev: false
  /qs@6.7.0:
    resolution: {integrity: sha512-y}
    dev: false
  /jest@29.0.0:
    resolution: {integrity: sha512-z}
    dev: true
`;
    const { graph } = parseLockfile('pnpm-lock', text, '/r/pnpm-lock.yaml', ctx);
    const prod = shippedPackages(graph, '', false);
    assert.deepEqual(names(prod), ['express@4.17.1', 'qs@6.7.0']);
    assert.equal(find(prod, 'qs').where.line, 16);
    assert.deepEqual(find(prod, 'qs').path, ['express', 'qs']);
  });

  test('v9: importers, packages and snapshots', () => {
    const text = `lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      minimist:
        specifier: ^1.2.0
        version: 1.2.5
  packages/fn:
    dependencies:
      axios:
        specifier: ^0.21.0
        version: 0.21.1
packages:
  axios@0.21.1:
    resolution: {integrity: sha512-a}
  follow-redirects@1.14.0:
    resolution: {integrity: sha512-b}
  minimist@1.2.5:
    resolution: {integrity: sha512-c}
snapshots:
  axios@0.21.1:
    dependencies:
      follow-redirects: 1.14.0
  follow-redirects@1.14.0: {}
  minimist@1.2.5: {}
`;
    const { graph } = parseLockfile('pnpm-lock', text, '/r/pnpm-lock.yaml', ctx);
    assert.deepEqual(names(shippedPackages(graph, 'packages/fn', false)), ['axios@0.21.1', 'follow-redirects@1.14.0']);
    assert.deepEqual(names(shippedPackages(graph, '', false)), ['minimist@1.2.5']);
    assert.equal(find(shippedPackages(graph, 'packages/fn', false), 'axios').where.line, 14);
  });
});

describe('bun.lock', () => {
  test('JSONC with trailing commas; workspaces; nested installs', () => {
    const text = `{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": { "a": "^1.0.0", },
      "devDependencies": { "d": "^1.0.0" },
    },
  },
  "packages": {
    "a": ["a@1.0.0", "", { "dependencies": { "b": "^2.0.0" } }, "sha512-a"],
    "b": ["b@1.0.0", "", {}, "sha512-b"],
    "a/b": ["b@2.0.0", "", {}, "sha512-b2"],
    "d": ["d@1.0.0", "", {}, "sha512-d"],
  }
}`;
    const { graph } = parseLockfile('bun-lock', text, '/r/bun.lock', ctx);
    const prod = shippedPackages(graph, '', false);
    assert.deepEqual(names(prod), ['a@1.0.0', 'b@2.0.0']);
    assert.equal(find(prod, 'b').where.line, 13);
  });
});

describe('Python lockfiles', () => {
  test('requirements.txt: pins, hashes, continuations, extras, markers, -r includes, unpinned reported', () => {
    const text = [
      '# comment',
      'requests[socks]==2.25.0 \\',
      '    --hash=sha256:abc \\',
      '    --hash=sha256:def',
      'PyYAML===5.3.1 ; python_version >= "3"',
      'flask>=2',
      '-r other.txt',
      '-e git+https://github.com/x/y.git#egg=y',
      '',
    ].join('\n');
    const r = parseLockfile('requirements', text, '/r/requirements.txt', ctx);
    assert.deepEqual(names(shippedPackages(r.graph, '', false)), ['pyyaml@5.3.1', 'requests@2.25.0', 'y@']);
    assert.equal(find(shippedPackages(r.graph, '', false), 'pyyaml').where.line, 5);
    assert.deepEqual(
      r.unpinned?.map((u) => u.name),
      ['flask'],
    );
  });

  test('Pipfile.lock: default and develop', () => {
    const text = JSON.stringify(
      { _meta: {}, default: { urllib3: { version: '==1.26.4' } }, develop: { pytest: { version: '==7.0.0' } } },
      null,
      2,
    );
    const { graph } = parseLockfile('pipfile-lock', text, '/r/Pipfile.lock', ctx);
    assert.deepEqual(names(shippedPackages(graph, '', false)), ['urllib3@1.26.4']);
    assert.deepEqual(names(shippedPackages(graph, '', true)), ['pytest@7.0.0 dev', 'urllib3@1.26.4']);
  });

  test('poetry.lock with pyproject roots; category dev', () => {
    const lock = `[[package]]
name = "Requests"
version = "2.28.0"
category = "main"

[package.dependencies]
urllib3 = ">=1.21.1,<1.27"

[[package]]
name = "urllib3"
version = "1.26.4"
category = "main"

[[package]]
name = "pytest"
version = "7.0.0"
category = "dev"
`;
    const pyproject = pyprojectDeps(
      '[tool.poetry.dependencies]\npython = "^3.9"\nrequests = "^2.28"\n[tool.poetry.group.dev.dependencies]\npytest = "^7"\n',
    );
    const { graph } = parseLockfile('poetry-lock', lock, '/r/poetry.lock', { ...ctx, ...(pyproject ? { pyproject } : {}) });
    const prod = shippedPackages(graph, '', false);
    assert.deepEqual(names(prod), ['requests@2.28.0', 'urllib3@1.26.4']);
    assert.deepEqual(find(prod, 'urllib3').path, ['requests', 'urllib3']);
    assert.equal(find(prod, 'urllib3').where.line, 9);
  });

  test('uv.lock: the root package lists direct and dev dependencies', () => {
    const lock = `version = 1
requires-python = ">=3.12"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "jinja2" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "jinja2"
version = "3.1.2"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "markupsafe" }]

[[package]]
name = "markupsafe"
version = "2.1.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
`;
    const { graph } = parseLockfile('uv-lock', lock, '/r/uv.lock', ctx);
    assert.deepEqual(names(shippedPackages(graph, '', false)), ['jinja2@3.1.2', 'markupsafe@2.1.3']);
    assert.deepEqual(names(shippedPackages(graph, '', true)), ['jinja2@3.1.2', 'markupsafe@2.1.3', 'pytest@8.0.0 dev']);
  });

  test('pdm.lock: groups', () => {
    const lock = `[metadata]\ngroups = ["default", "dev"]\n\n[[package]]\nname = "pyyaml"\nversion = "5.3"\ngroups = ["default"]\n\n[[package]]\nname = "black"\nversion = "22.1.0"\ngroups = ["dev"]\n`;
    const { graph } = parseLockfile('pdm-lock', lock, '/r/pdm.lock', ctx);
    assert.deepEqual(names(shippedPackages(graph, '', false)), ['pyyaml@5.3']);
    assert.equal(find(shippedPackages(graph, '', false), 'pyyaml').where.line, 4);
  });

  test('broken TOML is a LockfileError with the line', () => {
    assert.throws(
      () => parseLockfile('poetry-lock', '[[package]]\nname = "x\n', '/r/poetry.lock', ctx),
      (e: unknown) => e instanceof LockfileError && e.line === 2,
    );
  });
});

test('the JSON reader never throws anything but LockfileError and agrees with JSON.parse', () => {
  fc.assert(
    fc.property(fc.json(), (j) => {
      assert.deepEqual(JSON.parse(JSON.stringify(parseJsonWithLines(j).value)), JSON.parse(j));
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.string(), (s) => {
      try {
        parseJsonWithLines(s, { jsonc: true });
      } catch (e) {
        assert.ok(e instanceof LockfileError);
      }
    }),
    { numRuns: 500 },
  );
});

test('every parser fails only with LockfileError on arbitrary input', () => {
  const kinds = [
    'package-lock',
    'yarn-lock',
    'pnpm-lock',
    'bun-lock',
    'poetry-lock',
    'uv-lock',
    'pdm-lock',
    'pipfile-lock',
    'requirements',
  ];
  const piece = fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    '"',
    ':',
    ',',
    '\n',
    '  ',
    'packages',
    'lockfileVersion',
    '__metadata:',
    'version "1"',
    '[[package]]',
    'name = "x"',
    '==',
    '-r ',
    '\\',
    '#',
    'a@^1:',
    '/x@1.0.0:',
    'dependencies:',
  );
  fc.assert(
    fc.property(fc.constantFrom(...kinds), fc.array(fc.oneof(piece, fc.string({ maxLength: 8 })), { maxLength: 40 }), (kind, parts) => {
      try {
        parseLockfile(kind, parts.join(''), '/r/lock', ctx);
      } catch (e) {
        assert.ok(e instanceof LockfileError, `${kind}: ${(e as Error).stack}`);
      }
    }),
    { numRuns: 1500 },
  );
});
