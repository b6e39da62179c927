// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL `${}` syntax in plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attribute, Block, Expr } from '../../../src/load/hcl/index.js';
import { exprText, parseHcl, parseHclJson, parseTemplateString } from '../../../src/load/hcl/index.js';

function attr(src: string, name = 'a'): Attribute {
  const f = parseHcl(src);
  assert.deepEqual(f.errors, [], `errors for ${src}`);
  const a = f.body.attributes.find((x) => x.name === name);
  assert.ok(a, `attribute ${name}`);
  return a;
}
const expr = (src: string): Expr => attr(`a = ${src}\n`).expr;

describe('parseHcl: structure and positions', () => {
  it('parses attributes and blocks with labels, with 1-based positions', () => {
    const src = '# top\nresource "aws_lambda_function" "fn" {\n  runtime = "nodejs20.x"\n  inner {\n    x = 1\n  }\n}\n';
    const f = parseHcl(src);
    assert.deepEqual(f.errors, []);
    const b = f.body.blocks[0] as Block;
    assert.equal(b.blockType, 'resource');
    assert.deepEqual(b.labels, ['aws_lambda_function', 'fn']);
    assert.deepEqual([b.range.start.line, b.range.start.column, b.range.end.line, b.range.end.column], [2, 1, 7, 2]);
    const rt = b.body.attributes[0] as Attribute;
    assert.equal(rt.name, 'runtime');
    assert.deepEqual([rt.range.start.line, rt.range.start.column], [3, 3]);
    assert.deepEqual([rt.expr.range.start.line, rt.expr.range.start.column], [3, 13]);
    assert.equal(exprText(f, rt.expr), '"nodejs20.x"');
    assert.equal(b.body.blocks[0]?.blockType, 'inner');
    assert.equal(b.body.blocks[0]?.body.attributes[0]?.range.start.line, 5);
  });

  it('accepts one-line blocks, identifier labels and all comment styles', () => {
    const f = parseHcl('a { b = 1 }\nc d "e" { /* x\ny */ f = 2 // z\n}\n# end');
    assert.deepEqual(f.errors, []);
    assert.equal(f.body.blocks.length, 2);
    assert.deepEqual(f.body.blocks[1]?.labels, ['d', 'e']);
    assert.equal(f.body.blocks[1]?.body.attributes[0]?.name, 'f');
  });

  it('treats comments as blanks inside objects and across lines, and keeps lone $ and % literal', () => {
    const f = parseHcl('a = 1 /* x\ny */\nb = {\n  x = 1 # c\n  y = 2 // d\n  /* e */ z = 3\n}\nc = "100%"\nd = "$5 a$"\nnäme = ñ\n');
    assert.deepEqual(f.errors, []);
    assert.deepEqual(
      f.body.attributes.map((a) => a.name),
      ['a', 'b', 'c', 'd', 'näme'],
    );
    const b = f.body.attributes[1]?.expr;
    assert.equal(b?.type === 'object' ? b.items.length : 0, 3);
    assert.deepEqual(f.body.attributes[2]?.expr.type === 'literal' && f.body.attributes[2].expr.value, '100%');
    assert.deepEqual(f.body.attributes[3]?.expr.type === 'literal' && f.body.attributes[3].expr.value, '$5 a$');
  });

  it('parses literals, escapes and numbers', () => {
    assert.deepEqual((expr('"a\\n\\"b\\u00e9\\t"') as { value: unknown }).value, 'a\n"bé\t');
    assert.equal((expr('1.5e3') as { value: unknown }).value, 1500);
    assert.equal((expr('true') as { value: unknown }).value, true);
    assert.equal((expr('null') as { value: unknown }).value, null);
    assert.equal((expr('"$${x} %%{y}"') as { value: unknown }).value, '${x} %{y}');
  });

  it('parses templates with interpolation, directives and strip markers', () => {
    const t = expr('"x-${var.a}-%{ if c }yes%{ else }no%{ endif }-%{ for i in l }${i}%{ endfor }"');
    assert.equal(t.type, 'template');
    if (t.type !== 'template') return;
    assert.deepEqual(
      t.parts.map((p) => p.type),
      ['text', 'interp', 'text', 'if', 'text', 'for'],
    );
    const s = expr('"a ${~ "b" ~} c"');
    assert.equal(s.type, 'template');
    if (s.type === 'template') assert.deepEqual(s.parts[0], { type: 'text', value: 'a' });
  });

  it('parses heredocs, with <<- indentation stripping', () => {
    const f = parseHcl('a = <<EOT\n  hello ${name}\nEOT\nb = <<-EOT\n    {\n      "k": 1\n    }\n    EOT\nc = 1\n');
    assert.deepEqual(f.errors, []);
    const a = f.body.attributes[0]?.expr;
    assert.equal(a?.type, 'template');
    if (a?.type === 'template') assert.deepEqual(a.parts[0], { type: 'text', value: '  hello ' });
    const b = f.body.attributes[1]?.expr;
    if (b?.type === 'template') assert.deepEqual(b.parts, [{ type: 'text', value: '{\n  "k": 1\n}\n' }]);
    else assert.fail('heredoc b');
    assert.equal(f.body.attributes[2]?.range.start.line, 9);
  });

  it('parses collections, for expressions, calls, operators and conditionals', () => {
    const o = expr('{\n  a = 1\n  "b" = [1, 2,]\n  c: { d = true }, e = x\n}');
    assert.equal(o.type, 'object');
    if (o.type === 'object') assert.equal(o.items.length, 4);
    const fl = expr('[for k, v in var.m : upper(v) if v != ""]');
    assert.equal(fl.type, 'for');
    if (fl.type === 'for') {
      assert.equal(fl.keyVar, 'k');
      assert.equal(fl.valVar, 'v');
      assert.ok(fl.cond);
    }
    const fo = expr('{ for s in var.l : s => s... }');
    assert.ok(fo.type === 'for' && fo.grouping && fo.keyExpr);
    const call = expr('merge(local.a, {\n b = 2\n}, list...)');
    assert.ok(call.type === 'call' && call.args.length === 3 && call.expandFinal);
    const ns = expr('provider::aws::arn_parse("x")');
    assert.ok(ns.type === 'call' && ns.name === 'provider::aws::arn_parse');
    const bin = expr('1 + 2 * 3 == 7 && !false || -x > 0');
    assert.ok(bin.type === 'binary' && bin.op === '||');
    if (bin.type === 'binary' && bin.left.type === 'binary') assert.equal(bin.left.op, '&&');
    const c = expr('a ? b : c ? d : e');
    assert.ok(c.type === 'conditional' && c.whenFalse.type === 'conditional');
    const multi = expr('(\n  1 +\n  2\n)');
    assert.equal(multi.type, 'paren');
  });

  it('parses traversals and splats', () => {
    const t = expr('aws_iam_role.r[0].arn');
    assert.ok(t.type === 'getattr' && t.name === 'arn' && t.object.type === 'index');
    const legacy = expr('x.0.y');
    assert.ok(legacy.type === 'getattr' && legacy.object.type === 'index');
    const s = expr('aws_instance.x[*].id');
    assert.ok(s.type === 'splat' && s.each.type === 'getattr');
    const s2 = expr('var.l.*.name');
    assert.ok(s2.type === 'splat');
  });

  it('ends an attribute at the newline but not inside brackets', () => {
    const f = parseHcl('a = [\n 1,\n 2\n]\nb = 2\n');
    assert.deepEqual(f.errors, []);
    assert.equal(f.body.attributes.length, 2);
  });
});

describe('parseHcl: hostile input', () => {
  it('reports unterminated strings, blocks, heredocs and comments with a line, and recovers', () => {
    const cases: [string, number, RegExp][] = [
      ['a = "open\nb = 1\n', 1, /unterminated string/],
      ['x {\n a = 1\n', 3, /unterminated block/],
      ['a = <<EOF\nno end\n', 1, /unterminated heredoc/],
      ['/* never closed\n', 1, /unterminated \/\*/],
      ['a = 1 2\n', 1, /newline/],
      ['a = [1, 2\nb = 3\n', 2, /expected/],
    ];
    for (const [src, line, re] of cases) {
      const f = parseHcl(src);
      assert.ok(f.errors.length > 0, src);
      assert.match(f.errors[0]?.message ?? '', re, src);
      assert.equal(f.errors[0]?.line, line, src);
    }
    const rec = parseHcl('resource "a" "b" {\n  x = \n}\nresource "c" "d" {\n  y = 1\n}\n');
    assert.equal(rec.errors.length, 1);
    assert.deepEqual(
      rec.body.blocks.map((b) => b.labels[0]),
      ['c'],
    );
  });

  it('limits nesting depth, size and binary content', () => {
    const deep = parseHcl(`a = ${'['.repeat(100000)}`);
    assert.equal(deep.errors[0]?.code, 'hcl-too-deep');
    const deepObj = parseHcl(`${'a {\n'.repeat(5000)}`);
    assert.equal(deepObj.errors[0]?.code, 'hcl-too-deep');
    const big = parseHcl('a = 1\n'.repeat(100), { maxBytes: 50 });
    assert.equal(big.errors[0]?.code, 'hcl-too-large');
    const bin = parseHcl('a = 1\n\u0000\u0001\u0002');
    assert.equal(bin.errors[0]?.code, 'hcl-binary');
    assert.equal(bin.errors[0]?.line, 2);
  });

  it('handles invalid UTF-8 (replacement characters) as text', () => {
    const text = Buffer.from([0x61, 0x20, 0x3d, 0x20, 0x22, 0xff, 0xfe, 0x22, 0x0a]).toString('utf8');
    const f = parseHcl(text);
    assert.deepEqual(f.errors, []);
    const junk = parseHcl(Buffer.from([0xff, 0xfe, 0x3d, 0x0a]).toString('utf8'));
    assert.ok(junk.errors.length > 0);
  });
});

describe('parseHclJson', () => {
  it('maps Terraform JSON to blocks with labels and template strings', () => {
    const f = parseHclJson('{"resource":{"aws_lambda_function":{"f":{"runtime":"${var.r}","n":1}}},"locals":{"x":"y"}}', '/p/main.tf.json');
    assert.deepEqual(f.errors, []);
    const b = f.body.blocks.find((x) => x.blockType === 'resource');
    assert.deepEqual(b?.labels, ['aws_lambda_function', 'f']);
    assert.equal(b?.body.attributes[0]?.expr.type, 'template');
    assert.equal(f.body.blocks.find((x) => x.blockType === 'locals')?.body.attributes[0]?.name, 'x');
  });

  it('reports JSON errors and wrong shapes', () => {
    assert.equal(parseHclJson('{"resource": [', '/p/x.tf.json').errors.length > 0, true);
    assert.equal(parseHclJson('[1]', '/p/x.tf.json').errors.length, 1);
    assert.equal(parseHclJson('{"resource": {"a": 1}}', '/p/x.tf.json').errors.length, 1);
  });

  it('parses template strings', () => {
    assert.equal(parseTemplateString('plain').expr.type, 'literal');
    assert.equal(parseTemplateString('a-${b}').expr.type, 'template');
    assert.equal(parseTemplateString('${b}').expr.type, 'template');
  });
});
