// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless/Terraform `${}` syntax in plain strings
/**
 * End-to-end `fnguard scan` timings, Node start-up included: spawns the built CLI
 * (packages/fnguard/bin/fnguard.js, which loads the bundle in dist/cli-bundle/; run `npm run build` first) on generated projects:
 * a ~5,000-line serverless.yml (270 functions), a ~5,000-line SAM template, a ~430-resource
 * CloudFormation template and Terraform with 200 functions. Prints wall time (median of 5) and
 * CPU time (user+sys, the figure that holds under load), peak RSS, and the in-process stage timings of the last run (summary.timings). Target (issue 2):
 * < 0.5 s and < 300 MB each. Never fails on timing. Run it on an idle machine: the load average
 * multiplies the figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cfnTemplate, samTemplate } from './gen/cloudformation.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'packages/fnguard/bin/fnguard.js');
if (!existsSync(join(repo, 'packages/fnguard/dist/cli-bundle/fnguard.js'))) {
  console.log('scan.bench: run `npm run build` first');
  process.exit(0);
}

function serverlessYml(functions: number): string {
  const out = [
    'service: bench',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  stage: ${opt:stage, "dev"}',
    '  environment:',
    '    TABLE: ${self:service}-${sls:stage}',
    '    API_KEY: 0123456789abcdef0123456789abcdef',
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    '          Action: [dynamodb:GetItem, dynamodb:PutItem]',
    '          Resource: "*"',
    'functions:',
  ];
  for (let i = 0; i < functions; i++) {
    out.push(
      `  fn${i}:`,
      `    handler: src/fn${i}.handler`,
      '    timeout: 10',
      '    memorySize: 256',
      '    environment:',
      `      NAME: fn${i}`,
      '    events:',
      '      - http:',
      `          path: items/${i}/{id}`,
      '          method: get',
      i % 3 === 0 ? '          authorizer: aws_iam' : '          cors: true',
      '      - sqs:',
      `          arn: arn:aws:sqs:us-east-1:123456789012:queue${i}`,
      '          batchSize: 10',
      '      - schedule: rate(5 minutes)',
      '    tags:',
      `      team: t${i % 7}`,
    );
  }
  return `${out.join('\n')}\n`;
}

function terraform(functions: number): string {
  const out: string[] = ['variable "stage" {', '  default = "dev"', '}', ''];
  for (let i = 0; i < functions; i++) {
    out.push(
      `resource "aws_iam_role" "r${i}" {`,
      `  name = "role-${i}"`,
      '  assume_role_policy = jsonencode({',
      '    Version = "2012-10-17"',
      '    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]',
      '  })',
      '}',
      `resource "aws_iam_role_policy" "p${i}" {`,
      `  role = aws_iam_role.r${i}.id`,
      '  policy = jsonencode({',
      '    Version = "2012-10-17"',
      `    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::bucket-${i}/*" }]`,
      '  })',
      '}',
      `resource "aws_lambda_function" "f${i}" {`,
      `  function_name = "fn-${i}-\${var.stage}"`,
      `  role          = aws_iam_role.r${i}.arn`,
      '  handler       = "index.handler"',
      '  runtime       = "nodejs20.x"',
      `  filename      = "build/fn${i}.zip"`,
      '  timeout       = 10',
      '  environment {',
      `    variables = { NAME = "fn${i}" }`,
      '  }',
      '}',
      `resource "aws_lambda_function_url" "u${i}" {`,
      `  function_name      = aws_lambda_function.f${i}.function_name`,
      `  authorization_type = "${i % 2 ? 'AWS_IAM' : 'NONE'}"`,
      '}',
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

// FNGUARD_BENCH_DIR=dir keeps the generated projects there (to profile or diff a scan by hand).
const keep = process.env.FNGUARD_BENCH_DIR;
const root = keep ?? mkdtempSync(join(tmpdir(), 'fnguard-bench-scan-'));
if (keep) mkdirSync(keep, { recursive: true });
const cases: { name: string; dir: string; size: string }[] = [];
function project(name: string, file: string, text: string, unit: string) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), text);
  cases.push({ name, dir, size: `${text.split('\n').length} lines${unit}` });
}
project('serverless', 'serverless.yml', serverlessYml(270), ', 270 functions');
project('sam', 'template.yaml', samTemplate(120), '');
const cfn = cfnTemplate(60);
project('cloudformation', 'stack.template.json', cfn, `, ${Object.keys(JSON.parse(cfn).Resources ?? {}).length} resources`);
project('terraform', 'main.tf', terraform(200), ', 200 functions');

const hasTime = existsSync('/usr/bin/time');
console.log(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (2 cores: figures are only meaningful near 0)`,
);
// Node 20 reads NODE_EXTRA_CA_CERTS at start-up, before any code runs (~30 ms here; Node 22+ reads it on first TLS use):
// where the shell sets it, each case also runs without it, interleaved, as on a machine without a custom CA.
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const withoutCa = { ...process.env };
delete withoutCa.NODE_EXTRA_CA_CERTS;
const variants: { label: string; env: NodeJS.ProcessEnv }[] = [{ label: '', env: process.env }];
if (extraCa) variants.push({ label: 'without NODE_EXTRA_CA_CERTS', env: withoutCa });
if (extraCa) console.log('NODE_EXTRA_CA_CERTS is set: each case also runs without it (Node 20 loads those certificates at start-up)');

for (const c of cases) {
  const runs = variants.map(() => ({ times: [] as number[], cpu: [] as number[], rss: '', summary: '' }));
  for (let i = 0; i < 5; i++) {
    variants.forEach((v, k) => {
      const run = runs[k] as (typeof runs)[number];
      const args = [bin, 'scan', c.dir, '--format', 'json', '--fail-on', 'none'];
      const t = process.hrtime.bigint();
      const r = hasTime
        ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: v.env })
        : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: v.env });
      run.times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (hasTime) {
        const [kb, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
        run.rss = `${Math.round((kb ?? 0) / 1024)} MB`;
        run.cpu.push((user ?? 0) + (sys ?? 0));
      }
      try {
        const res = JSON.parse(r.stdout);
        run.summary = `${res.summary.functions} functions, ${res.findings.length} findings, ${res.diagnostics.length} diagnostics, in-process ${res.summary.durationMs} ms ${JSON.stringify(res.summary.timings ?? {})}`;
      } catch {
        run.summary = `(no JSON: exit ${r.status}) ${r.stderr.slice(0, 200)}`;
      }
    });
  }
  variants.forEach((v, k) => {
    const { times, cpu, rss, summary } = runs[k] as (typeof runs)[number];
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const cpuText = cpu.length ? `, CPU (user+sys) median ${((cpu[2] ?? 0) * 1000).toFixed(0)} ms` : '';
    const head = v.label ? `  ${v.label}`.padEnd(48) : `${c.name.padEnd(15)} ${c.size.padEnd(32)}`;
    console.log(
      `${head} wall median ${times[2]?.toFixed(0)} ms (min ${times[0]?.toFixed(0)})${cpuText}${rss ? `, peak RSS ${rss}` : ''}${v.label ? '' : `; ${summary}`}`,
    );
  });
}
if (!keep) rmSync(root, { recursive: true, force: true });
