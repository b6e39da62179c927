// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL `${}` syntax in plain strings
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DiscoveredFile } from '../../../src/discover/index.js';
import { loadApp } from '../../../src/load/index.js';
import { terraformAdapter } from '../../../src/load/terraform/index.js';
import { type App, type Fn, isUnknown } from '../../../src/model/types.js';
import { PKG_DIR, rmTree, tmpTree } from '../../helpers/index.js';

const FIX = join(PKG_DIR, 'test', 'fixtures', 'load', 'terraform');

/** The Terraform files under a directory, as discovery would classify them (kept independent of discovery's internals). */
function tfFiles(root: string, dir = root, out: DiscoveredFile[] = []): DiscoveredFile[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) tfFiles(root, p, out);
    else if (/\.(tf|tf\.json|tfvars|tfvars\.json)$/i.test(name))
      out.push({ path: p, rel: relative(root, p), kind: 'iac', subtype: 'terraform', size: st.size });
  }
  return out;
}

async function load(root: string): Promise<App> {
  return loadApp(root, tfFiles(root), { adapters: [terraformAdapter], env: {} });
}

function fn(app: App, id: string): Fn {
  const f = app.functions.find((x) => x.id === id);
  assert.ok(f, `function ${id} in ${app.functions.map((x) => x.id).join(', ')}`);
  return f;
}

describe('terraform adapter: AWS fixture', () => {
  let app: App;
  before(async () => {
    app = await load(join(FIX, 'aws'));
  });

  it('loads the functions of the root module and of the local module', () => {
    assert.deepEqual(app.functions.map((f) => f.id).sort(), [
      'terraform:.#aws_lambda_function.api',
      'terraform:.#module.worker.aws_lambda_function.this',
    ]);
    const api = fn(app, 'terraform:.#aws_lambda_function.api');
    assert.equal(api.functionName, 'shop-prod-api', 'terraform.tfvars overrides the default of var.stage');
    assert.equal(api.runtime, 'nodejs16.x');
    assert.equal(api.runtimeWhere?.line, 116);
    assert.equal(api.handler, 'index.handler');
    assert.equal(api.timeout, 30);
    assert.equal(api.memory, 512);
    assert.equal(api.tracing, 'Active');
    assert.equal(api.where.line, 113);
    assert.equal(api.where.file, join(FIX, 'aws', 'main.tf'));
    assert.deepEqual(api.tags, { team: 'payments', fn: 'api' });
    assert.equal(api.codeDir, join(FIX, 'aws', 'src', 'api'));
    assert.deepEqual(api.packaging?.patterns, ['!.env', '!test']);
    assert.equal(api.codeSigning?.enforcement, 'Enforce');
  });

  it('keeps each environment variable with its own position; secrets and refs stay Unknown', () => {
    const api = fn(app, 'terraform:.#aws_lambda_function.api');
    const env = Object.fromEntries(api.env.map((e) => [e.name, e]));
    assert.equal(env.STAGE?.value, 'prod');
    assert.equal(env.API_TOKEN?.value, 'tok_live_1234567890abcdef');
    assert.equal(env.API_TOKEN?.where.line, 128);
    const db = env.DB_PASSWORD?.value;
    assert.ok(isUnknown(db) && db.hint === 'secret-reference' && db.target === 'data.aws_secretsmanager_secret_version.db');
    const q = env.QUEUE_URL?.value;
    assert.ok(isUnknown(q) && q.hint === 'ref' && q.target === 'aws_sqs_queue.jobs');
  });

  it('builds the role from a policy document, inline jsonencode, file() and heredoc policies', () => {
    const api = fn(app, 'terraform:.#aws_lambda_function.api');
    const role = app.identities.find((i) => i.id === api.identity);
    assert.ok(role);
    assert.deepEqual(role.usedBy, [api.id]);
    assert.equal(role.name, 'shop-prod-api');
    assert.deepEqual(role.trust?.[0]?.principal, { Service: ['lambda.amazonaws.com'] });
    const admin = role.statements.find((s) => s.sid === 'Everything');
    assert.deepEqual(admin?.actions, ['*']);
    assert.equal(admin?.where.line, 43, 'statement block position');
    const cond = role.statements.find((s) => s.actions?.includes('sqs:SendMessage'));
    assert.deepEqual(cond?.condition, { StringEquals: { 'aws:SourceAccount': ['123456789012'] } });
    const logs = role.statements.find((s) => s.origin?.name === 'logs');
    assert.equal(logs?.where.line, 70, 'jsonencode statement position');
    const fromFile = role.statements.find((s) => s.origin?.name === 'files');
    assert.deepEqual(fromFile?.actions, ['iam:PassRole', 'lambda:CreateFunction']);
    assert.equal(fromFile?.origin?.kind, 'customer-managed');
    const heredoc = role.statements.find((s) => s.origin?.name === 'heredoc');
    assert.deepEqual(heredoc?.actions, ['s3:GetObject']);
    assert.ok(isUnknown(heredoc?.resources?.[0]));
    assert.ok(role.managedPolicies.some((m) => m.awsManaged && m.name === 'AdministratorAccess'));
  });

  it('links URL, permissions, log group, layers and API routes to the function', () => {
    const api = fn(app, 'terraform:.#aws_lambda_function.api');
    assert.equal(api.url?.auth, 'none');
    assert.deepEqual(api.url?.cors?.allowOrigins, ['*']);
    assert.equal(api.permissions[0]?.principal, '*');
    assert.equal(api.logs?.retentionInDays, 14);
    assert.equal(api.logs?.logGroup, '/aws/lambda/shop-prod-api');
    assert.equal(api.layers[1]?.layerId, 'terraform:.#aws_lambda_layer_version.shared');
    const rest = api.triggers.find((t) => t.kind === 'rest-api');
    assert.equal(rest?.auth.type, 'api-key', 'API key without authorizer, like the CloudFormation adapter');
    assert.equal(rest?.auth.apiKeyRequired, true);
    assert.equal(rest?.method, 'GET');
    assert.equal(rest?.path, '/orders');
    assert.equal(rest?.public, true);
    const http = api.triggers.find((t) => t.kind === 'http-api');
    assert.equal(http?.method, 'POST');
    assert.equal(http?.path, '/checkout');
    assert.equal(http?.auth.type, 'none');
    assert.ok(api.triggers.some((t) => t.kind === 'function-url'));
  });

  it('normalizes API stages, domains, keys and supporting resources', () => {
    const rest = app.apis.find((a) => a.kind === 'rest');
    const st = rest?.stages[0];
    assert.equal(st?.loggingLevel, 'INFO');
    assert.equal(st?.dataTraceEnabled, true);
    assert.equal(st?.tracingEnabled, false);
    assert.deepEqual(st?.throttling, { rateLimit: 100, burstLimit: 50 });
    assert.equal(rest?.domains?.[0]?.securityPolicy, 'TLS_1_0');
    assert.equal(st?.webAclArn, 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/main/abc');
    assert.equal(app.resources.find((r) => r.id === 'terraform:.#aws_cloudwatch_log_group.api')?.name, '/aws/lambda/shop-prod-api');
    assert.equal(rest?.apiKeys?.[0]?.value, 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789');
    const http = app.apis.find((a) => a.kind === 'http');
    assert.deepEqual(http?.stages[0]?.throttling, { rateLimit: 10, burstLimit: 5 });
    const q = app.resources.find((r) => r.id === 'terraform:.#aws_sqs_queue.jobs');
    assert.equal(q?.type, 'sqs-queue');
    assert.equal(q?.props.redrive, false);
    assert.equal(q?.policy?.[0]?.principal, '*');
    const b = app.resources.find((r) => r.id === 'terraform:.#aws_s3_bucket.uploads');
    assert.equal(b?.props.blockPublicAccess, true);
    assert.equal(app.layers[0]?.permissions[0]?.principal, '*');
    const tok = app.resources.find((r) => r.id === 'terraform:.#var.api_token');
    assert.equal(tok?.props.sensitive, true);
    assert.equal(tok?.props.default, 'tok_live_1234567890abcdef');
  });

  it('binds module variables from the call and prefixes addresses', () => {
    const w = fn(app, 'terraform:.#module.worker.aws_lambda_function.this');
    assert.equal(w.functionName, 'shop-prod-worker');
    assert.equal(w.memory, 256);
    assert.equal(w.reservedConcurrency, 5);
    assert.equal(w.where.file, join(FIX, 'aws', 'modules', 'worker', 'main.tf'));
    assert.equal(w.identity, 'terraform:.#module.worker.aws_iam_role.this');
    const sqs = w.triggers.find((t) => t.kind === 'sqs');
    assert.equal(sqs?.source, 'terraform:.#aws_sqs_queue.jobs');
    assert.equal(sqs?.mapping?.batchSize, 10);
    assert.equal(w.destinations?.onFailure, 'arn:aws:sqs:us-east-1:123456789012:dlq');
    assert.equal(w.destinations?.maximumRetryAttempts, 0);
  });

  it('reports remote modules as info', () => {
    const d = app.diagnostics.find((x) => x.code === 'terraform-remote-module');
    assert.equal(d?.level, 'info');
    assert.equal(d?.line, 301);
  });
});

describe('terraform adapter: Google Cloud, Azure and JSON syntax', () => {
  it('loads Cloud Functions gen1/gen2 with identity, ingress and public invokers', async () => {
    const app = await load(join(FIX, 'gcp'));
    const hello = fn(app, 'terraform:.#google_cloudfunctions_function.hello');
    assert.equal(hello.provider, 'gcp');
    assert.equal(hello.runtime, 'nodejs18');
    assert.equal(hello.handler, 'hello');
    assert.equal(app.identities.find((i) => i.id === hello.identity)?.serviceAccount, 'default');
    assert.deepEqual(hello.cloud?.invokers, ['allUsers']);
    assert.equal(hello.cloud?.httpsOnly, false);
    assert.equal(hello.cloud?.ingress, 'ALLOW_ALL');
    const t = hello.triggers[0];
    assert.equal(t?.kind, 'http');
    assert.equal(t?.public, true);
    assert.equal(t?.auth.type, 'none');
    assert.equal(hello.codeDir, join(FIX, 'gcp', 'src', 'hello'));
    const secret = hello.env.find((e) => e.name === 'DB_PASSWORD')?.value;
    assert.ok(isUnknown(secret) && secret.hint === 'secret-reference');
    const ev = fn(app, 'terraform:.#google_cloudfunctions2_function.events');
    assert.equal(ev.runtime, 'python312');
    assert.equal(app.identities.find((i) => i.id === ev.identity)?.serviceAccount, 'events@proj.iam.gserviceaccount.com');
    assert.equal(ev.triggers[0]?.kind, 'pubsub');
    assert.equal(ev.cloud?.ingress, 'ALLOW_INTERNAL_ONLY');
    assert.equal(ev.env[0]?.where.path, 'google_cloudfunctions2_function.events.service_config[0].environment_variables.MODE');
  });

  it('loads Azure function apps with settings, identity and auth', async () => {
    const app = await load(join(FIX, 'azure'));
    const a = fn(app, 'terraform:.#azurerm_linux_function_app.api');
    assert.equal(a.provider, 'azure');
    assert.equal(a.runtime, 'node18');
    assert.equal(a.cloud?.httpsOnly, false);
    assert.equal(a.cloud?.authEnabled, false);
    assert.equal(a.cloud?.settings?.minimumTlsVersion, '1.0');
    assert.equal(a.cloud?.settings?.ftpsState, 'AllAllowed');
    assert.ok(a.identity);
    assert.ok(a.env.some((e) => e.name === 'STORAGE_KEY' && typeof e.value === 'string'));
    assert.equal(a.triggers[0]?.kind, 'http');
    const s = fn(app, 'terraform:.#azurerm_windows_function_app.secure');
    assert.equal(s.cloud?.authEnabled, true);
    assert.equal(s.cloud?.httpsOnly, true);
  });

  it('loads .tf.json with the same meaning as native syntax', async () => {
    const app = await load(join(FIX, 'json'));
    const f = fn(app, 'terraform:.#aws_lambda_function.fn');
    assert.equal(f.runtime, 'nodejs18.x');
    assert.equal(f.tracing, 'PassThrough');
    assert.equal(f.env.find((e) => e.name === 'MODE')?.value, 'json');
    const s = f.env.find((e) => e.name === 'SECRET')?.value;
    assert.ok(isUnknown(s) && s.hint === 'secret-reference');
    const role = app.identities.find((i) => i.id === f.identity);
    assert.deepEqual(role?.trust?.[0]?.principal, { AWS: ['*'] });
    assert.equal(f.where.line, 11);
  });
});

describe('terraform adapter: event sources and for_each', () => {
  let app: App;
  before(async () => {
    app = await load(join(FIX, 'events'));
  });

  it('keeps one Model object for a for_each resource, noting it in where.path', () => {
    const c = fn(app, 'terraform:.#aws_lambda_function.consumer');
    assert.match(c.where.path ?? '', /for_each/);
    assert.ok(isUnknown(c.functionName));
    assert.equal(c.packageType, 'image');
    assert.equal(c.imageUri, '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest');
    assert.deepEqual(c.vpc?.subnetIds, ['subnet-1'], 'dynamic block content');
    const dlq = c.deadLetter?.target;
    assert.ok(isUnknown(dlq) && dlq.target === 'aws_sqs_queue.dlq');
  });

  it('shares one external identity between functions using the same role ARN', () => {
    const ext = app.identities.filter((i) => i.external);
    assert.equal(ext.length, 1);
    assert.equal(ext[0]?.usedBy.length, 2);
    assert.equal(ext[0]?.arn, 'arn:aws:iam::123456789012:role/shared');
  });

  it('turns S3 notifications, SNS subscriptions and EventBridge targets into async triggers', () => {
    const o = fn(app, 'terraform:.#aws_lambda_function.other');
    const kinds = o.triggers.map((t) => t.kind).sort();
    assert.deepEqual(kinds, ['rest-api', 's3', 'schedule', 'sns'], 'permissions do not duplicate declared triggers');
    const s3 = o.triggers.find((t) => t.kind === 's3');
    assert.equal(s3?.source, 'terraform:.#aws_s3_bucket.in');
    assert.deepEqual(s3?.detail, { events: ['s3:ObjectCreated:*'] });
    assert.equal(s3?.async, true);
    assert.equal(o.triggers.find((t) => t.kind === 'schedule')?.detail?.schedule, 'rate(1 day)');
    assert.equal(o.permissions.length, 2, 'a literal function_name matches too');
    const rest = o.triggers.find((t) => t.kind === 'rest-api');
    assert.equal(rest?.auth.type, 'cognito');
    assert.equal(rest?.auth.authorizer, 'terraform:.#aws_api_gateway_authorizer.a');
    assert.equal(rest?.public, false, 'PRIVATE endpoint');
    assert.equal(app.apis[0]?.requestValidation, true);
  });

  it('reads provisioned concurrency, log data protection and composed policy documents', () => {
    const o = fn(app, 'terraform:.#aws_lambda_function.other');
    assert.equal(o.provisionedConcurrency, 2);
    assert.equal(o.logs?.dataProtection, true);
    assert.equal(o.logs?.logGroup, '/aws/lambda/other');
    const role = app.identities.find((i) => i.id === 'terraform:.#aws_iam_role.combined');
    assert.deepEqual(role?.statements.map((st) => st.actions?.[0]).sort(), ['s3:GetObject', 'sqs:SendMessage']);
    assert.deepEqual(role?.trust, [], 'an empty trust document has no statements');
  });

  it('normalizes supporting resources', () => {
    const r = (id: string) => app.resources.find((x) => x.id === `terraform:.#${id}`);
    assert.equal(r('aws_sqs_queue.dlq')?.props.encryption, 'cmk');
    assert.equal(r('aws_sns_topic.t')?.props.encryption, 'none');
    assert.equal(r('aws_cognito_identity_pool.p')?.props.allowUnauthenticated, true);
    assert.equal(r('aws_sfn_state_machine.sm')?.props.loggingLevel, 'ERROR');
    assert.equal(r('aws_cloudwatch_metric_alarm.errors')?.props.functionId, 'terraform:.#aws_lambda_function.other');
    assert.deepEqual(r('aws_cloudwatch_metric_alarm.errors')?.props.alarmActions, []);
    assert.equal(r('aws_cloudwatch_event_rule.nightly')?.props.scheduleExpression, 'rate(1 day)');
    assert.equal(r('aws_sns_topic_subscription.s')?.props.protocol, 'lambda');
  });

  it('adds a trigger from a permission when nothing else declares it', async () => {
    const dir = tmpTree({
      'main.tf':
        'resource "aws_lambda_function" "f" {\n  function_name = "f"\n}\nresource "aws_lambda_permission" "s3" {\n  function_name = aws_lambda_function.f.arn\n  principal = "s3.amazonaws.com"\n  source_arn = "arn:aws:s3:::b"\n}\n',
    });
    try {
      const a = await load(dir);
      const t = fn(a, 'terraform:.#aws_lambda_function.f').triggers[0];
      assert.equal(t?.kind, 's3');
      assert.equal(t?.source, 'arn:aws:s3:::b');
      assert.equal(t?.where.line, 4);
    } finally {
      rmTree(dir);
    }
  });
});

describe('terraform adapter: hostile and odd input', () => {
  let dir = '';
  after(() => rmTree(dir));

  it('turns bad files into diagnostics with file and line and keeps loading the rest', async () => {
    dir = tmpTree({
      'bad/main.tf':
        'resource "aws_lambda_function" "a" {\n  runtime = "unterminated\n}\n\nresource "aws_lambda_function" "b" {\n  runtime = "python3.12"\n}\n',
      'deep/main.tf': `locals {\n  x = ${'['.repeat(3000)}\n}\n`,
      'heredoc/main.tf': 'resource "aws_iam_role" "r" {\n  assume_role_policy = <<EOF\n{"no": "end"\n',
      'json/main.tf.json': '{"resource": {"aws_lambda_function": 5}}',
      'shapes/main.tf':
        'resource "aws_lambda_function" "f" {\n  environment = 5\n  timeout = "slow"\n  layers = "x"\n  role = 42\n  vpc_config = [1, 2]\n}\nresource "aws_lambda_permission" "p" {\n  function_name = aws_lambda_function.f.arn\n}\n',
      'loop/main.tf':
        'locals {\n  a = local.b\n  b = local.a\n}\nmodule "self" {\n  source = "./"\n}\nresource "aws_lambda_function" "f" {\n  function_name = local.a\n  count = 3\n}\n',
      'escape/main.tf': 'resource "aws_iam_policy" "p" {\n  policy = file("../../../../etc/passwd")\n}\n',
      'missing/main.tf': 'module "m" {\n  source = "./nope"\n}\n',
    });
    const app = await load(dir);
    const d = (sub: string) => app.diagnostics.filter((x) => x.file.includes(`/${sub}/`));
    assert.equal(d('bad')[0]?.line, 2);
    assert.ok(
      app.functions.some((f) => f.id === 'terraform:bad#aws_lambda_function.b'),
      'recovers after the bad block',
    );
    assert.equal(d('deep')[0]?.code, 'hcl-too-deep');
    assert.match(d('heredoc')[0]?.message ?? '', /heredoc/);
    assert.ok(d('json').length > 0);
    assert.ok(
      d('escape').some((x) => x.code === 'terraform-file'),
      'file() outside the root is refused',
    );
    assert.ok(d('missing').some((x) => x.code === 'terraform-module-missing'));
    const shapes = fn(app, 'terraform:shapes#aws_lambda_function.f');
    assert.ok(isUnknown(shapes.timeout));
    assert.equal(shapes.env.length, 0);
    assert.equal(shapes.permissions[0]?.principal && isUnknown(shapes.permissions[0].principal), true);
    const loop = fn(app, 'terraform:loop#aws_lambda_function.f');
    assert.ok(isUnknown(loop.functionName));
    assert.match(loop.where.path ?? '', /count/);
  });
});
