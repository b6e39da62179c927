/**
 * The policy-validation plugin inside a real CDK synthesis (aws-cdk-lib devDependency): small
 * apps are synthesised with the plugin attached through `Validations.of(app).addPlugins()` and
 * through the older `new App({ policyValidationBeta1 })`; a finding at or above `failOn` fails
 * `app.synth()`, CDK's own report (validation-report.json) names fnguard's rules and the
 * constructs, and suppressions (CloudFormation metadata, CDK acknowledgements) work.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { App, type AppProps, Duration, aws_iam as iam, aws_lambda as lambda, Stack, Stage, aws_s3 as s3, Validations } from 'aws-cdk-lib';
import { commonDir, FnguardValidation, type FnguardValidationProps } from '../src/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function outdir(): string {
  const d = mkdtempSync(join(tmpdir(), 'fnguard-cdk-'));
  dirs.push(d);
  return d;
}

/** A function with a public URL and an admin role (vulnerable) or IAM auth and a scoped policy (fixed). */
function ordersStack(app: App, vulnerable: boolean): { stack: Stack; fn: lambda.Function } {
  const stack = new Stack(app, 'Orders');
  const bucket = new s3.Bucket(stack, 'Exports', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  const fn = new lambda.Function(stack, 'Api', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    timeout: Duration.seconds(10),
    ...(vulnerable ? {} : { reservedConcurrentExecutions: 10, tracing: lambda.Tracing.ACTIVE }),
  });
  if (vulnerable) {
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
  } else {
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    bucket.grantRead(fn);
  }
  return { stack, fn };
}

interface Report {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    metadata?: Record<string, string>;
    violations: {
      ruleName: string;
      severity: string;
      ruleMetadata?: Record<string, string>;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

function synth(props: AppProps, build: (app: App) => void): { error?: Error; report?: Report } {
  const dir = outdir();
  const app = new App({ ...props, outdir: dir });
  build(app);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const file = join(dir, 'validation-report.json');
  const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Report) : undefined;
  return { ...(error ? { error } : {}), ...(report ? { report } : {}) };
}

function withPlugin(vulnerable: boolean, props: FnguardValidationProps = {}, extra?: (s: ReturnType<typeof ordersStack>) => void) {
  return (app: App) => {
    const s = ordersStack(app, vulnerable);
    extra?.(s);
    Validations.of(app).addPlugins(new FnguardValidation(props));
  };
}

const fnguardReport = (r: Report | undefined) => r?.pluginReports.find((p) => p.pluginName === 'fnguard');

describe('CDK policy-validation plugin (aws-cdk-lib synth)', () => {
  test('a vulnerable stack fails synth; the report names fnguard rules and the constructs', () => {
    const { error, report } = synth({}, withPlugin(true));
    assert.ok(error, 'synth must fail');
    assert.match(error.message, /Validation failed/);
    const fg = fnguardReport(report);
    assert.ok(fg, JSON.stringify(report));
    assert.equal(fg.conclusion, 'failure');
    const byRule = new Map(fg.violations.map((v) => [v.ruleName, v]));
    const perm = byRule.get('PERM-01');
    const url = byRule.get('EXPO-01');
    assert.ok(perm && url, [...byRule.keys()].join(', '));
    assert.equal(perm.severity, 'error');
    assert.equal(perm.ruleMetadata?.severity, 'critical');
    assert.match(perm.ruleMetadata?.location ?? '', /^Orders\.template\.json:\d+$/);
    assert.deepEqual(
      perm.violatingConstructs.map((c) => c.constructPath),
      ['Orders/Api/ServiceRole/Resource'],
    );
    assert.deepEqual(
      url.violatingConstructs.map((c) => c.constructPath),
      ['Orders/Api/Resource'],
    );
    // below failOn but at or above `severity` (default medium): listed as warnings
    assert.ok(fg.violations.some((v) => v.severity === 'warning' && v.ruleMetadata?.severity === 'medium'));
    assert.ok(!fg.violations.some((v) => v.ruleMetadata?.severity === 'low' || v.ruleMetadata?.severity === 'info'));
  });

  test('the fixed twin synthesises', () => {
    const { error, report } = synth({}, withPlugin(false));
    assert.equal(error, undefined, error?.message);
    const fg = fnguardReport(report);
    if (fg) {
      assert.equal(fg.conclusion, 'success');
      assert.ok(!fg.violations.some((v) => v.severity === 'error'));
    }
  });

  test('failOn none reports without failing; failOn critical ignores high findings', () => {
    const none = synth({}, withPlugin(true, { failOn: 'none', severity: 'high' }));
    assert.equal(none.error, undefined, none.error?.message);
    const fg = fnguardReport(none.report);
    assert.ok(fg);
    assert.ok(fg.violations.some((v) => v.ruleName === 'PERM-01'));
    assert.ok(fg.violations.every((v) => v.severity === 'warning'));
    // only a critical finding fails: drop the admin role and the public permission, keep the URL (high)
    const crit = synth({}, withPlugin(true, { failOn: 'critical', skipRules: ['PERM-01', 'EXPO-03'] }));
    assert.equal(crit.error, undefined, crit.error?.message);
  });

  test('suppressions: Metadata.fnguard.ignore through cfnOptions.metadata and CDK acknowledgements', () => {
    const { error, report } = synth(
      {},
      withPlugin(true, {}, ({ stack, fn }) => {
        const cfn = fn.node.defaultChild as lambda.CfnFunction;
        cfn.cfnOptions.metadata = { fnguard: { ignore: [{ rule: 'EXPO-01', reason: 'public webhook, verified by signature' }] } };
        Validations.of(stack).acknowledge(
          { id: 'fnguard::PERM-01', reason: 'break-glass admin function, approved in SEC-1' },
          { id: 'fnguard::EXPO-03', reason: 'the public URL needs it' },
        );
      }),
    );
    assert.equal(error, undefined, error?.message);
    const fg = fnguardReport(report);
    assert.ok(!fg?.violations.some((v) => v.ruleName === 'EXPO-01'), 'metadata suppression removes the finding');
  });

  test('the older App({ policyValidationBeta1 }) hook works too', () => {
    const { error, report } = synth({ policyValidationBeta1: [new FnguardValidation()] }, (app) => ordersStack(app, true));
    assert.ok(error);
    assert.ok(fnguardReport(report)?.violations.some((v) => v.ruleName === 'PERM-01'));
  });

  test('fails closed: a scan that cannot run fails the synth (here: a missing baseline)', () => {
    const { error, report } = synth({}, withPlugin(false, { baseline: join(tmpdir(), 'fnguard-no-such-baseline.json') }));
    assert.ok(error, 'synth must fail');
    const fg = fnguardReport(report);
    assert.match(JSON.stringify(fg ?? error.message), /fnguard scan failed/);
  });

  test('several stacks in nested stages are scanned in one run', () => {
    const { error, report } = synth({}, (app) => {
      ordersStack(app, false);
      const prod = new Stage(app, 'Prod');
      ordersStack(prod as unknown as App, true);
      Validations.of(app).addPlugins(new FnguardValidation());
    });
    assert.ok(error);
    const paths = fnguardReport(report)?.violations.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath)) ?? [];
    assert.ok(
      paths.some((p) => p.startsWith('Prod/Orders/')),
      paths.join(', '),
    );
    // PERM-11 rightly reports the read actions `grantRead` adds that the inline handler never uses; the
    // fixed stack must have none of the vulnerable stack's role findings (admin, wildcards)
    const fixedRole =
      fnguardReport(report)?.violations.filter(
        (v) =>
          v.ruleName !== 'PERM-11' &&
          v.violatingConstructs.some((c) => c.constructPath.startsWith('Orders/') && /ServiceRole/.test(c.constructPath)),
      ) ?? [];
    assert.ok(fixedRole.length === 0, `the fixed stack has no role finding: ${fixedRole.map((v) => v.ruleName).join(', ')}`);
  });

  test('commonDir', () => {
    assert.equal(commonDir(['/a/b/x.json', '/a/b/c/y.json']), '/a/b');
    assert.equal(commonDir(['/a/b/x.json']), '/a/b');
  });
});
