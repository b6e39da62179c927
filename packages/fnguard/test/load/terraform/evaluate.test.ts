// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL `${}` syntax in plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHcl } from '../../../src/load/hcl/index.js';
import { Encoded, type EvalScope, Evaluator, PolicyDocRef, type Value } from '../../../src/load/terraform/evaluate.js';
import { isUnknown } from '../../../src/model/types.js';

function scope(over: Partial<EvalScope> = {}): EvalScope {
  return {
    vars: new Map<string, Value>([
      ['stage', 'prod'],
      ['list', ['a', 'b', 'a']],
      ['m', { x: '1', y: '2' }],
    ]),
    locals: new Map(),
    localCache: new Map(),
    moduleDir: '/root/mod',
    rootDir: '/root',
    prefix: '',
    files: new Map([['/root/mod/policy.json', '{"Statement":[]}']]),
    dataArgs: (addr, attr) => (addr === 'data.archive_file.z' && attr === 'output_path' ? '/root/z.zip' : undefined),
    ...over,
  };
}

function ev(src: string, sc = scope()): Value {
  const f = parseHcl(`a = ${src}\n`);
  assert.deepEqual(f.errors, [], src);
  const a = f.body.attributes[0];
  assert.ok(a);
  return new Evaluator(f, sc).eval(a.expr);
}

describe('terraform evaluator', () => {
  it('evaluates literals, variables, templates and operators', () => {
    assert.equal(ev('"fn-${var.stage}"'), 'fn-prod');
    assert.equal(ev('1 + 2 * 3'), 7);
    assert.equal(ev('var.stage == "prod" ? 512 : 128'), 512);
    assert.equal(ev('!true || false'), false);
    assert.equal(ev('-(4 % 3)'), -1);
    assert.equal(ev('"%{ if var.stage == "prod" }on%{ else }off%{ endif }"'), 'on');
    assert.deepEqual(ev('var.list[1]'), 'b');
    assert.deepEqual(ev('var.m.x'), '1');
    assert.deepEqual(ev('[for s in var.list : upper(s) if s != "b"]'), ['A', 'A']);
    assert.deepEqual(ev('{ for k, v in var.m : v => k }'), { 1: 'x', 2: 'y' });
    assert.deepEqual(ev('[{ n = 1 }, { n = 2 }][*].n'), [1, 2]);
  });

  it('evaluates the supported functions', () => {
    assert.equal(ev('jsonencode({ a = [1, "x"], b = null })'), '{"a":[1,"x"],"b":null}');
    assert.deepEqual(ev('merge({ a = 1 }, { b = 2 }, { a = 3 })'), { a: 3, b: 2 });
    assert.deepEqual(ev('concat(["a"], ["b", "c"])'), ['a', 'b', 'c']);
    assert.equal(ev('lookup(var.m, "y", "z")'), '2');
    assert.equal(ev('lookup(var.m, "q", "z")'), 'z');
    assert.equal(ev('format("%s-%d-%%", "a", 5)'), 'a-5-%');
    assert.equal(ev('tostring(12)'), '12');
    assert.deepEqual(ev('toset(var.list)'), ['a', 'b']);
    assert.deepEqual(ev('tolist(["x"])'), ['x']);
    assert.equal(ev('file("${path.module}/policy.json")'), '{"Statement":[]}');
    assert.equal(ev('join(",", ["a", "b"])'), 'a,b');
    assert.equal(ev('length(var.list)'), 3);
    assert.equal(ev('data.archive_file.z.output_path'), '/root/z.zip');
  });

  it('keeps references, secrets and unknown parts as Unknown with the expression text', () => {
    const r = ev('aws_sqs_queue.q.arn');
    assert.ok(isUnknown(r) && r.hint === 'ref' && r.target === 'aws_sqs_queue.q' && r.expr === 'aws_sqs_queue.q.arn');
    const ri = ev('aws_iam_role.r[0].arn');
    assert.ok(isUnknown(ri) && ri.target === 'aws_iam_role.r');
    const s = ev('data.aws_ssm_parameter.p.value');
    assert.ok(isUnknown(s) && s.hint === 'secret-reference' && s.target === 'data.aws_ssm_parameter.p');
    const st = ev('"Bearer ${data.aws_secretsmanager_secret_version.t.secret_string}"');
    assert.ok(isUnknown(st) && st.hint === 'secret-reference');
    const v = ev('var.nope');
    assert.ok(isUnknown(v) && v.hint === 'variable');
    const e = ev('each.value');
    assert.ok(isUnknown(e) && e.expr === 'each.value');
    assert.ok(isUnknown(ev('file("/etc/passwd")')), 'file() only returns pre-read files');
    assert.ok(isUnknown(ev('templatefile("x.tpl", {})')));
    assert.ok(isUnknown(ev('somefn(1)')));
    const m = ev('module.m.arn');
    assert.ok(isUnknown(m) && m.target === 'module.m');
    assert.ok(ev('data.aws_iam_policy_document.d.json') instanceof PolicyDocRef);
    const enc = ev('jsonencode({ Resource = aws_s3_bucket.b.arn })');
    assert.ok(enc instanceof Encoded);
    assert.ok(isUnknown(ev('1 / 0')));
    assert.ok(isUnknown(ev('aws_lambda_function.f.timeout > 3 ? "a" : "b"')));
  });

  it('evaluates locals lazily and survives cycles', () => {
    const f = parseHcl('a = local.x\nb = local.y\n');
    const sc = scope();
    const defs = parseHcl('x = "${var.stage}-x"\ny = local.z\nz = local.y\n');
    for (const a of defs.body.attributes) sc.locals.set(a.name, { expr: a.expr, text: defs.text });
    const E = new Evaluator(f, sc);
    assert.equal(E.eval(f.body.attributes[0]?.expr ?? { type: 'invalid', range: f.body.range }), 'prod-x');
    assert.ok(isUnknown(E.eval(f.body.attributes[1]?.expr ?? { type: 'invalid', range: f.body.range })));
  });

  it('refuses exponentially large values built from shared locals', () => {
    const sc = scope();
    const lines = ['l0 = ["xxxxxxxxxxxxxxxx"]'];
    for (let k = 1; k <= 40; k++) lines.push(`l${k} = [local.l${k - 1}, local.l${k - 1}]`);
    const defs = parseHcl(`${lines.join('\n')}\n`);
    for (const a of defs.body.attributes) sc.locals.set(a.name, { expr: a.expr, text: defs.text });
    const t0 = performance.now();
    for (const src of ['jsonencode(local.l40)', 'flatten(local.l40)', 'local.l40 == local.l39', 'toset(local.l40)', 'length(local.l40)']) {
      const v = ev(src, sc);
      assert.ok(isUnknown(v), src);
    }
    assert.ok(performance.now() - t0 < 2000);
    assert.equal(ev('length(local.l3)', sc), 2);
  });

  it('prefixes targets inside modules', () => {
    const r = ev('aws_iam_role.r.arn', scope({ prefix: 'module.w.' }));
    assert.ok(isUnknown(r) && r.target === 'module.w.aws_iam_role.r');
  });
});
