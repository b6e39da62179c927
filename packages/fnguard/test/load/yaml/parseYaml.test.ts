// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${}` syntax in plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseYaml } from '../../../src/load/yaml/index.js';

const F = '/p/template.yaml';

describe('parseYaml', () => {
  it('converts CloudFormation short-form tags to long form without warnings', () => {
    const r = parseYaml(
      [
        'A: !Ref Param',
        'B: !GetAtt Role.Arn',
        'C: !GetAtt [Role, Arn]',
        'D: !Sub "arn:${AWS::Partition}:s3:::x"',
        'E: !Join [",", [a, !Ref X]]',
        'F: !If [Cond, !Ref AWS::NoValue, b]',
        'G: !Select [0, !GetAZs ""]',
        'H: !FindInMap [M, !Ref AWS::Region, k]',
        'I: !Condition IsProd',
        'J: !Sub',
        '  - "${A}-x"',
        '  - { A: !ImportValue Exp }',
        'K: !Base64 hello',
        'L: !Split [",", "a,b"]',
        'M: !Not [!Equals [a, b]]',
        'N: !And [!Condition C1, !Or [!Condition C2, !Condition C3]]',
        'O: !Cidr [10.0.0.0/16, 4, 8]',
        'P: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }',
      ].join('\n'),
      F,
    );
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.ok, true);
    assert.deepEqual(r.value, {
      A: { Ref: 'Param' },
      B: { 'Fn::GetAtt': ['Role', 'Arn'] },
      C: { 'Fn::GetAtt': ['Role', 'Arn'] },
      D: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::x' },
      E: { 'Fn::Join': [',', ['a', { Ref: 'X' }]] },
      F: { 'Fn::If': ['Cond', { Ref: 'AWS::NoValue' }, 'b'] },
      G: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      H: { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'k'] },
      I: { Condition: 'IsProd' },
      J: { 'Fn::Sub': ['${A}-x', { A: { 'Fn::ImportValue': 'Exp' } }] },
      K: { 'Fn::Base64': 'hello' },
      L: { 'Fn::Split': [',', 'a,b'] },
      M: { 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] },
      N: { 'Fn::And': [{ Condition: 'C1' }, { 'Fn::Or': [{ Condition: 'C2' }, { Condition: 'C3' }] }] },
      O: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
      P: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
    });
  });

  it('leaves tags alone with cfnTags: false (and warns about unknown tags)', () => {
    const r = parseYaml('a: !Ref x', F, { cfnTags: false });
    assert.deepEqual(r.value, { a: 'x' });
    assert.equal(r.diagnostics[0]?.code, 'yaml-warning');
    assert.equal(r.ok, true);
  });

  it('records positions of containers, keys, values and items (1-based)', () => {
    const text = 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Layers:\n        - arn:a\n        - !Ref L\n';
    const r = parseYaml(text, F);
    const v = r.value as { Resources: { Fn: { Properties: { Layers: unknown[] } } } };
    const fn = v.Resources.Fn;
    assert.deepEqual(r.positions.keyWhere(v.Resources, 'Fn'), { file: F, line: 2, column: 3, endLine: 2, endColumn: 5 });
    assert.equal(r.positions.valueWhere(fn, 'Type')?.line, 3);
    assert.equal(r.positions.valueWhere(fn, 'Type')?.column, 11);
    assert.equal(r.positions.where(fn)?.line, 3);
    assert.equal(r.positions.valueWhere(fn.Properties.Layers, 1)?.line, 7);
    assert.equal(r.positions.valueWhere(fn.Properties.Layers, 1)?.column, 11);
    // the intrinsic object created from a tag is positioned at the tag
    assert.equal(r.positions.where(fn.Properties.Layers[1])?.line, 7);
    // at() falls back to the container, then to the file start, and sets path
    assert.deepEqual(r.positions.at(fn, 'Missing', 'Resources.Fn'), { ...r.positions.where(fn), path: 'Resources.Fn' } as never);
    assert.deepEqual(r.positions.at('scalar'), { file: F, line: 1, column: 1 });
  });

  it('applies merge keys with existing keys winning, and copies anchors at aliases', () => {
    const r = parseYaml('base: &b { x: 1, y: 2 }\nuse:\n  <<: *b\n  y: 3\nagain: *b\n', F);
    const v = r.value as Record<string, Record<string, number>>;
    assert.deepEqual(v.use, { x: 1, y: 3 });
    assert.deepEqual(v.again, { x: 1, y: 2 });
    assert.notEqual(v.again, v.base);
    assert.equal(r.positions.valueWhere(v.use, 'x')?.line, 1);
  });

  it('warns about duplicate keys and ignores __proto__ keys', () => {
    const r = parseYaml('a: 1\na: 2\n__proto__: { polluted: true }\n', F);
    assert.deepEqual(r.value, { a: 2 });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const d = r.diagnostics.find((x) => x.code === 'duplicate-key');
    assert.equal(d?.line, 2);
    const inherited = parseYaml('toString: 1\nconstructor: 2\nhasOwnProperty: 3\n', F);
    assert.deepEqual(inherited.diagnostics, []);
    assert.deepEqual(JSON.parse(JSON.stringify(inherited.value)), { toString: 1, constructor: 2, hasOwnProperty: 3 });
  });

  it('reports syntax errors with file and line', () => {
    const r = parseYaml('a: 1\nb: [1, 2\nc: : :\n', F);
    assert.equal(r.ok, false);
    const e = r.diagnostics.find((d) => d.level === 'error');
    assert.equal(e?.file, F);
    assert.equal(e?.code, 'yaml-parse');
    assert.ok((e?.line ?? 0) >= 2);
    assert.doesNotMatch(e?.message ?? '', /\n/);
  });

  it('stops alias bombs (billion laughs)', () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = 'a';
    for (const n of ['b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      text += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
      prev = n;
    }
    const start = Date.now();
    const r = parseYaml(text, F);
    assert.ok(Date.now() - start < 2000);
    assert.equal(r.ok, false);
    assert.equal(r.diagnostics[0]?.code, 'alias-bomb');
    assert.ok((r.diagnostics[0]?.line ?? 0) > 1);
    const few = parseYaml('a: &a [1,2,3]\nb: [*a, *a, *a]\n', F, { maxAliasNodes: 9 });
    assert.equal(few.ok, false);
    assert.equal(parseYaml('a: &a [1,2,3]\nb: [*a, *a]\n', F, { maxAliasNodes: 9 }).ok, true);
  });

  it('refuses recursive aliases, deep nesting and oversize text without throwing', () => {
    assert.equal(parseYaml('a: &x [*x]', F).diagnostics[0]?.code, 'alias-bomb');
    assert.equal(parseYaml('['.repeat(100_000), F).diagnostics[0]?.code, 'too-deep');
    let deep = '';
    for (let i = 0; i < 200; i++) deep += `${' '.repeat(i)}k:\n`;
    assert.equal(parseYaml(deep, F).diagnostics[0]?.code, 'too-deep');
    const compact = parseYaml(`${'- '.repeat(50_000)}x`, F);
    assert.equal(compact.ok, false);
    assert.equal(parseYaml('a: 1234567890', F, { maxBytes: 5 }).diagnostics[0]?.code, 'too-large');
    assert.equal(parseYaml('a: [1, 2, 3, 4]', F, { maxNodes: 3 }).diagnostics[0]?.code, 'too-large');
  });

  it('ignores quotes and comments when measuring flow depth', () => {
    const r = parseYaml(`a: "${'['.repeat(500)}"\n# ${'{'.repeat(500)}\nb: it's [ok]\n`, F);
    assert.equal(r.ok, true);
    assert.deepEqual(r.value, { a: '['.repeat(500), b: "it's [ok]" });
  });

  it('maps scalars to JSON-like values', () => {
    const r = parseYaml('n: 12\nf: 1.5\nb: true\nz: ~\nd: 2024-01-01\nbig: 123456789012345678901234567890\n', F);
    const v = r.value as Record<string, unknown>;
    assert.equal(v.n, 12);
    assert.equal(v.b, true);
    assert.equal(v.z, null);
    assert.equal(typeof v.d, 'string');
    assert.equal(typeof v.big, 'number');
  });

  it('never throws on random text (fuzz)', () => {
    const alphabet = fc.constantFrom(...'ab:-[]{},&*!<>|\'"#\n \t?%@`1'.split(''), '!Ref ', '!GetAtt ', '<<: ', '&a ', '*a', '\n  ');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), (parts) => {
        const r = parseYaml(parts.join(''), F);
        for (const d of r.diagnostics) {
          assert.equal(d.file, F);
          if (d.line !== undefined) assert.ok(d.line >= 1);
        }
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        parseYaml(s, F);
      }),
      { numRuns: 300 },
    );
  });
});
