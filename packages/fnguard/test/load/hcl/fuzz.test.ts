// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL `${}` syntax in plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseHcl, parseHclJson } from '../../../src/load/hcl/index.js';
import { Evaluator } from '../../../src/load/terraform/evaluate.js';

const TOKENS = [
  'resource',
  '"aws_lambda_function"',
  '"x"',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '=',
  '==',
  ':',
  ',',
  '.',
  '*',
  '?',
  '!',
  '-',
  '+',
  '/',
  '%',
  '&&',
  '||',
  '=>',
  '...',
  '"',
  '${',
  '%{',
  '~',
  'if',
  'else',
  'endif',
  'for',
  'in',
  'endfor',
  '<<EOF',
  '<<-EOF',
  'EOF',
  '#',
  '//',
  '/*',
  '*/',
  '\n',
  ' ',
  '\t',
  'var.x',
  'local.y',
  '1',
  '2.5e3',
  'true',
  'null',
  'jsonencode(',
  'file(',
  'merge(',
  '\\',
  '\\u12',
  '\u0000',
  '\uFFFD',
  'é',
  '$${',
  '%%{',
  'a_b-c',
  '[*]',
  '.*',
];

const ident = fc.constantFrom('a', 'b', 'name', 'runtime', 'env', 'x1');
const leaf = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom('true', 'false', 'null', 'var.a', 'local.b', 'aws_iam_role.r.arn', 'data.aws_ssm_parameter.p.value', 'each.key'),
  fc.stringMatching(/^[a-zA-Z0-9 _.:/-]{0,8}$/).map((s) => JSON.stringify(s)),
  fc.stringMatching(/^[a-zA-Z0-9 _.:/-]{0,8}$/).map((s) => `"pre-\${var.a}-${s}"`),
);
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('expr'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(fc.tuple(ident, tie('expr')), { maxLength: 3 }).map((kv) => `{\n${kv.map(([k, v]) => `${k} = ${v}`).join('\n')}\n}`),
    fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '==', '&&', '||', '>'), tie('expr')).map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
    fc
      .tuple(
        fc.constantFrom('jsonencode', 'merge', 'concat', 'lookup', 'format', 'tostring', 'tolist', 'file', 'unknownfn'),
        fc.array(tie('expr'), { maxLength: 3 }),
      )
      .map(([f, xs]) => `${f}(${xs.join(', ')})`),
    tie('expr').map((x) => `[for v in ${x} : v]`),
    tie('expr').map((x) => `(${x})`),
  ),
}));
const validish = fc
  .array(
    fc.oneof(
      fc.tuple(ident, expr).map(([k, v]) => `${k} = ${v}\n`),
      fc
        .tuple(ident, fc.array(fc.tuple(ident, expr), { maxLength: 4 }))
        .map(([t, kv]) => `resource "aws_${t}" "${t}" {\n${kv.map(([k, v]) => `  ${k} = ${v}`).join('\n')}\n}\n`),
    ),
    { maxLength: 6 },
  )
  .map((xs) => xs.join(''));

function timed(src: string): void {
  const t0 = performance.now();
  const f = parseHcl(src);
  // evaluate every top-level attribute too: the evaluator must not throw either
  const ev = new Evaluator(f, {
    vars: new Map(),
    locals: new Map(),
    localCache: new Map(),
    moduleDir: '/m',
    rootDir: '/m',
    prefix: '',
    files: new Map(),
    dataArgs: () => undefined,
  });
  for (const a of f.body.attributes) ev.eval(a.expr);
  for (const b of f.body.blocks) for (const a of b.body.attributes) ev.eval(a.expr);
  const ms = performance.now() - t0;
  assert.ok(ms < 500, `took ${ms} ms`);
  for (const e of f.errors) assert.ok(e.line >= 1 && e.column >= 1);
}

describe('HCL parser fuzzing', () => {
  it('never throws or hangs on token soups', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), (toks) => {
        timed(toks.join(''));
        timed(toks.join(' '));
      }),
      { numRuns: 600 },
    );
  });

  it('parses generated valid-ish HCL without errors, and survives its truncations', () => {
    fc.assert(
      fc.property(validish, fc.nat(), (src, cut) => {
        const f = parseHcl(src);
        assert.deepEqual(f.errors, [], src);
        timed(src.slice(0, src.length ? cut % src.length : 0));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random strings (native and JSON syntax)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (s) => {
        timed(s);
        parseHclJson(s, '/p/x.tf.json');
      }),
      { numRuns: 500 },
    );
  });
});
