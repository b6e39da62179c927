// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${}` syntax in plain strings
/**
 * The block parser (blockYaml.ts) must give exactly what the js-yaml path gives whenever it accepts
 * a document: the same values (key order included) and the same Where objects for every container,
 * key, value and item (end positions included). Checked on every YAML file of the repository, on
 * generated documents (comments, empty values, compact mappings, sequences at their key's indent,
 * tagged blocks, flow collections, odd scalars), and on the cases it must hand over.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseBlockYaml } from '../../../src/load/yaml/blockYaml.js';
import { needsFullParser, parseWithJsYaml } from '../../../src/load/yaml/fastYaml.js';
import { CFN_TAGS, DEFAULT_LIMITS } from '../../../src/load/yaml/index.js';
import type { PositionMap } from '../../../src/load/yaml/positions.js';
import { repositoryYamlFiles } from './repoYaml.js';

/** Every container's NodeInfo (Maps as entry lists), in tree order. */
function infos(v: unknown, pm: PositionMap, out: unknown[] = []): unknown[] {
  if (typeof v !== 'object' || v === null) return out;
  const info = pm.get(v);
  out.push(info ? { where: info.where, keys: info.keys ? [...info.keys] : undefined, items: info.items } : undefined);
  for (const x of Object.values(v)) infos(x, pm, out);
  return out;
}

/** 'block' when the block parser accepted the text (and agreed), 'other' when it handed it over. */
function check(text: string, file = '/t.yaml', cfnTags: Readonly<Record<string, string>> | undefined = CFN_TAGS): 'block' | 'other' {
  if (needsFullParser(text)) return 'other';
  const block = parseBlockYaml(text, file, DEFAULT_LIMITS, cfnTags);
  if (!block) return 'other';
  const ref = parseWithJsYaml(text, file, DEFAULT_LIMITS, cfnTags);
  assert.ok(ref, `${file}: the block parser accepted a document the js-yaml path refuses:\n${text}`);
  assert.deepEqual(ref.diagnostics, [], `${file}: the js-yaml path reports something the block parser does not`);
  assert.deepEqual(block.value, ref.value, `${file}: values differ\n${text}`);
  assert.equal(JSON.stringify(block.value), JSON.stringify(ref.value), `${file}: key order differs`);
  assert.deepEqual(infos(block.value, block.positions), infos(ref.value, ref.positions), `${file}: positions differ\n${text}`);
  return 'block';
}

describe('parseBlockYaml equals the js-yaml path', () => {
  it('on every YAML file of the repository (most take the block parser)', () => {
    const files = repositoryYamlFiles();
    assert.ok(files.length > 50, `found ${files.length} YAML files`);
    let block = 0;
    for (const f of files) if (check(readFileSync(f, 'utf8'), f) === 'block') block++;
    assert.ok(block > files.length / 2, `${block} of ${files.length} took the block parser`);
  });

  it('on generated documents', () => {
    const scalar = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9 ./:,#-]{0,12}[a-z0-9]$/),
      fc.integer({ min: -1000, max: 100000 }).map(String),
      fc.constantFrom(
        'true',
        'False',
        'null',
        '~',
        '1.5',
        '1e3',
        '0x1F',
        '012',
        '.inf',
        '.NaN',
        '2012-10-17',
        'x:y',
        'a: b',
        'a#b',
        '-x',
        ':x',
        '?x',
        'a]',
        '${opt:stage, "dev"}',
        "'quoted: x'",
        "'it''s'",
        "''",
        '"dq \\" x"',
        '"\\u00e9\\x41\\n"',
        '""',
        '"\\q"',
        "'unclosed",
        '&anchor x',
        '|',
        '@x',
      ),
      fc.constantFrom('!Ref Param', '!GetAtt Role.Arn', '!GetAtt Role', '!Sub "${AWS::Region}-x"', "!Sub 'y'", '!Unknown x', '!Ref'),
      fc.constantFrom(
        '[]',
        '{}',
        '[ ]',
        '{ }',
        '[a, b]',
        '[ a , b ]',
        '{a: b}',
        '{ x: 1, y: [a, "b"] }',
        '[1, [2, {z: 3}]]',
        '[!Ref a, b]',
        '{a: !Ref b}',
        '!Join [",", [a, !Ref B]]',
        '!If [c, {x: y}, d]',
        '[a: b]',
        '{a}',
        '[a,]',
        '[a, b',
        '{"k": v}',
      ),
    );
    const key = fc.oneof(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9_:.-]{0,8}$/),
      fc.constantFrom('"quoted key"', "'single'", '1', 'null', 'true', 'with space', 'Fn::Sub', '__proto__', '[k]', '? k'),
    );
    const comment = fc.constantFrom('', '', '', '  # note', ' #x');
    type Lines = string[];
    const node = (depth: number): fc.Arbitrary<Lines> =>
      depth === 0
        ? scalar.map((s) => [` ${s}`])
        : fc.oneof(
            { weight: 3, arbitrary: scalar.map((s) => [` ${s}`]) },
            { weight: 2, arbitrary: mapping(depth - 1) },
            { weight: 2, arbitrary: sequence(depth - 1) },
            { weight: 1, arbitrary: fc.constant([''] as Lines) },
            {
              weight: 1,
              arbitrary: fc
                .tuple(fc.constantFrom('!Sub', '!If', '!Join', '!GetAtt'), fc.oneof(mapping(depth - 1), sequence(depth - 1)))
                .map(([t, b]) => [` ${t}`, ...b.slice(1)]),
            },
          );
    // a block's first line is its entry's inline part (after `key:` / `-`), then indented lines
    const indentOf = fc.constantFrom(2, 2, 2, 4, 1);
    const mapping = (depth: number): fc.Arbitrary<Lines> =>
      fc.array(fc.tuple(key, node(depth), comment, fc.boolean()), { minLength: 1, maxLength: 4 }).chain((entries) =>
        indentOf.map((n) => {
          const pad = ' '.repeat(n);
          const out: Lines = [''];
          for (const [k, v, c, blank] of entries) {
            if (blank) out.push('');
            out.push(`${pad}${k}:${v[0]}${c}`, ...v.slice(1).map((l) => (l ? pad + l : l)));
          }
          return out;
        }),
      );
    const sequence = (depth: number): fc.Arbitrary<Lines> =>
      fc.array(fc.tuple(node(depth), comment, fc.boolean()), { minLength: 1, maxLength: 4 }).chain((items) =>
        fc.tuple(indentOf, fc.boolean()).map(([n, compact]) => {
          const pad = ' '.repeat(n);
          const out: Lines = [''];
          for (const [v, c] of items) {
            // compact: `- key: v` with the rest of the mapping under the key
            const first = v[0] ?? '';
            if (compact && first === '' && v[1]?.trimStart() && !v[1].trimStart().startsWith('-')) {
              const inner = v[1].length - v[1].trimStart().length;
              out.push(`${pad}- ${v[1].trimStart()}`, ...v.slice(2).map((l) => (l ? pad + ' '.repeat(Math.max(0, 2 - inner)) + l : l)));
            } else out.push(`${pad}-${first}${c}`, ...v.slice(1).map((l) => (l ? pad + l : l)));
          }
          return out;
        }),
      );
    let runs = 0;
    let block = 0;
    fc.assert(
      fc.property(fc.oneof(mapping(3), sequence(3)), fc.boolean(), (lines, dedent) => {
        // the root: drop the leading '' (the inline part) and the first indentation
        const body = lines.slice(1);
        const strip = dedent ? Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length)) : 0;
        const text = `${body.map((l) => l.slice(Math.min(strip, l.length - l.trimStart().length))).join('\n')}\n`;
        runs++;
        if (check(text) === 'block') block++;
      }),
      { numRuns: 4000 },
    );
    assert.ok(block > runs / 10, `${block} of ${runs} generated documents took the block parser`);
  });

  it('keeps what the js-yaml path does with plain scalars, keys and tags', () => {
    for (const text of [
      'a: 012\nb: 0x1F\nc: 1e3\nd: .inf\ne: ~\nf: False\ng: 1_000\nh: 2012-10-17\n',
      'null: a\n1: b\ntrue: c\n',
      'a: nul\nb: NuLL\nc: tRUE\nd: Nope\ne: FALSE\nf: Trueish\ng: ~x\nh: ~\nNULL: i\nFalse: j\n',
      'a: !GetAtt A.B.C\nb: !GetAtt A\nc: !Sub "x${y}"\nd: !Join [",", [a, !Ref B]]\n',
      'a:\n- b\n- c\nd: e\n',
      'a: # c\nb:\n  # d\nc:\n',
      '- a: 1\n  b: 2\n-\n  c: 3\n- !Sub\n  - x\n  - y\n',
      "x: \"a\\u00e9\\\"b\\x41\\U0001F600\"\ny: 'it''s'\n",
      'k: [a, {b: c}, [d]]\ne: {}\nf: [ ]\n',
    ])
      assert.equal(check(text), 'block', text);
  });

  it('hands over what it does not reproduce', () => {
    for (const text of [
      'a: |\n  text\n', // block scalars
      'a: b\n  c\n', // multi-line plain scalar
      'a: "b\n  c"\n', // multi-line quoted scalar
      'a: [b,\n  c]\n', // multi-line flow
      'a: &x 1\n', // anchors
      'a: !Unknown x\n',
      'a: 1\na: 2\n', // duplicate keys (fastYaml reports them)
      '- - a\n',
      '-\n- b\n', // empty item
      '- [a]\n', // js-yaml composes these through an extra node: fastYaml refuses them
      '- {a: b}\n',
      'a: .NaN\n',
      'a: 1', // no final line break
      '\uFEFFa: 1\n',
      'a: 1\r\n',
      '---\na: 1\n',
      '__proto__: x\n',
      '? a\n: b\n',
      '"a\\qb": 1\n',
      '',
      '# only a comment\n',
    ])
      assert.equal(parseBlockYaml(text, '/x.yaml', DEFAULT_LIMITS, CFN_TAGS), undefined, JSON.stringify(text));
    // tags only with the CloudFormation tags on
    assert.equal(parseBlockYaml('a: !Ref b\n', '/x.yaml', DEFAULT_LIMITS, undefined), undefined);
    // budgets: depth and node count
    const deep = `${Array.from({ length: 20 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} v\n`;
    assert.equal(parseBlockYaml(deep, '/x.yaml', { maxDepth: 10, maxNodes: 1000 }, CFN_TAGS), undefined);
    assert.notEqual(parseBlockYaml(deep, '/x.yaml', { maxDepth: 30, maxNodes: 1000 }, CFN_TAGS), undefined);
    assert.equal(parseBlockYaml('a: 1\nb: 2\nc: 3\n', '/x.yaml', { maxDepth: 10, maxNodes: 4 }, CFN_TAGS), undefined);
  });
});
