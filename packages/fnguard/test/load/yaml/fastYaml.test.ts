// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${}` syntax in plain strings
/**
 * The js-yaml fast path must give exactly what the full (`yaml`-based) parser gives: the same values,
 * the same diagnostics and the same key/value/item positions. Checked on every YAML file of the
 * repository's fixtures and examples, on generated documents, and on the cases it must hand over.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseYamlFast } from '../../../src/load/yaml/fastYaml.js';
import { CFN_TAGS, DEFAULT_LIMITS, parseYaml } from '../../../src/load/yaml/index.js';
import type { PositionMap } from '../../../src/load/yaml/positions.js';
import { repositoryYamlFiles } from './repoYaml.js';

type Pos = { line: number; column: number } | undefined;
const lc = (w: Pos) => (w ? `${w.line}:${w.column}` : '-');

/** Every position the map holds for the value tree, as comparable strings. */
function positionsOf(v: unknown, pm: PositionMap, path = '$', out: string[] = [], seen = new Set<object>()): string[] {
  if (typeof v !== 'object' || v === null || seen.has(v)) return out;
  seen.add(v);
  out.push(`${path} @${lc(pm.where(v))}`);
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push(`${path}[${i}] @${lc(pm.valueWhere(v, i))}`);
      positionsOf(x, pm, `${path}[${i}]`, out, seen);
    });
  else
    for (const [k, x] of Object.entries(v)) {
      out.push(`${path}.${k} key@${lc(pm.keyWhere(v, k))} value@${lc(pm.valueWhere(v, k))}`);
      positionsOf(x, pm, `${path}.${k}`, out, seen);
    }
  return out;
}

function assertSame(text: string, file: string, cfnTags = true): 'fast' | 'full' {
  const fast = parseYamlFast(text, file, DEFAULT_LIMITS, cfnTags ? CFN_TAGS : undefined);
  if (!fast) return 'full';
  const full = parseYaml(text, file, { fast: false, cfnTags });
  assert.ok(full.ok, `${file}: the fast path accepted a document the full parser rejects: ${full.diagnostics[0]?.message}`);
  assert.deepEqual(fast.value, full.value, `${file}: values differ`);
  assert.deepEqual(
    fast.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`),
    full.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`),
    `${file}: diagnostics differ`,
  );
  assert.deepEqual(positionsOf(fast.value, fast.positions), positionsOf(full.value, full.positions), `${file}: positions differ`);
  return 'fast';
}

describe('parseYaml fast path (js-yaml) equals the full parser', () => {
  it('on every YAML fixture and example of the repository', () => {
    const files = repositoryYamlFiles();
    assert.ok(files.length > 50, `found ${files.length} YAML files`);
    let fast = 0;
    for (const f of files) if (assertSame(readFileSync(f, 'utf8'), f) === 'fast') fast++;
    // most real files take the fast path (the rest: broken on purpose, aliases, merge keys, several documents)
    assert.ok(fast > files.length / 2, `${fast} of ${files.length} took the fast path`);
  });

  it('on generated block and flow documents with CloudFormation tags', () => {
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/);
    const scalar = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9 ./:-]{0,12}[a-z0-9]$/),
      fc.integer({ min: -1000, max: 100000 }).map(String),
      fc.constantFrom(
        'true',
        'false',
        'null',
        '~',
        "'quoted: x'",
        '"dq \\" x"',
        '""',
        '1.5',
        '0x1F',
        '.inf',
        "'*'",
        's3:*',
        'arn:aws:s3:::b/*',
      ),
      fc.constantFrom('!Ref Param', '!GetAtt Role.Arn', '!Sub "${AWS::Region}-x"', '!GetAtt [A, B]', '!Join [",", [a, !Ref B]]'),
      fc.constantFrom(
        '{ x: 1, y: [a, "b"] }',
        '[]',
        '{}',
        '[1, [2, {z: 3}]]',
        "'it''s'",
        '"\\u00e9t\\u00e9"',
        '2024-01-01',
        '0755',
        '1_000',
        '0b101',
        '-0x1F',
        '+0o7',
        '-.5',
        '-0',
        '+1',
        '.NaN',
        '-.inf',
      ),
    );
    const blockScalar = fc.constantFrom(
      ['|', '  line one', '  line two'],
      ['>-', '  folded', '  text'],
      ['|+', '  kept', ''],
      ['!Sub |', '  ${A}', '  b'],
    );
    const block = (depth: number): fc.Arbitrary<string[]> =>
      depth === 0
        ? fc.constant([])
        : fc
            .array(
              fc.tuple(
                fc.oneof(
                  key,
                  key.map((k) => `"${k} q"`),
                ),
                fc.oneof(
                  scalar.map((s) => [s]),
                  block(depth - 1),
                  fc.array(scalar, { maxLength: 3 }).map((a) => a.map((s) => `- ${s}`)),
                  blockScalar,
                ),
              ),
              { minLength: 1, maxLength: 4 },
            )
            .map((pairs) =>
              pairs.flatMap(([k, v]) =>
                /^(!Sub )?[|>]/.test(v[0] ?? '')
                  ? [`${k}: ${v[0]}`, ...v.slice(1).map((l) => (l ? `  ${l}` : l))]
                  : v.length === 1 && !v[0]?.startsWith('- ')
                    ? [`${k}: ${v[0]}`]
                    : [`${k}:`, ...v.map((l) => `  ${l}`)],
              ),
            );
    let runs = 0;
    let fast = 0;
    fc.assert(
      fc.property(block(3), fc.boolean(), (lines, comments) => {
        const text = `${lines.map((l, i) => (comments && i % 3 === 0 && !l.endsWith('|') && !l.endsWith('-') && !l.endsWith('+') ? `${l}  # note ${i}` : l)).join('\n')}\n`;
        runs++;
        if (assertSame(text, '/gen.yaml') === 'fast') fast++;
      }),
      { numRuns: 3000 },
    );
    assert.ok(fast > runs / 2, `${fast} of ${runs} generated documents took the fast path`);
  });

  it('reads a null key as "null" on both paths', () => {
    assert.equal(assertSame('null: 1\nx: 2\n', 'null-key.yaml'), 'fast');
    assert.equal(assertSame('~: 1\nx: 2\n', 'tilde-key.yaml'), 'fast');
    // the full parser alone (an alias sends the document there) gives the same key
    const full = parseYaml('a: &v 1\nnull: *v\n', 'alias.yaml', { fast: false, cfnTags: true });
    assert.deepEqual(full.value, { a: 1, null: 1 });
  });

  it('reports duplicate keys as the full parser does', () => {
    assert.equal(assertSame('a: 1\nb: 2\na: 3\n', '/d.yaml'), 'fast');
  });

  it('hands over what it does not reproduce: errors, aliases, merge keys, directives, several documents, unknown tags', () => {
    for (const text of [
      'a: [1, 2\n',
      'base: &b { x: 1 }\nuse: *b\n',
      'a:\n  <<: { x: 1 }\n  y: 2\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      'a: !Unknown x\n',
      '? [complex, key]\n: v\n',
    ])
      assert.equal(parseYamlFast(text, '/x.yaml', DEFAULT_LIMITS, CFN_TAGS), undefined, text);
    // and parseYaml still reports them through the full parser
    assert.equal(parseYaml('a: [1, 2\n', '/x.yaml').ok, false);
    assert.deepEqual(parseYaml('base: &b { x: 1 }\nuse: *b\n', '/x.yaml').value, { base: { x: 1 }, use: { x: 1 } });
  });
});
