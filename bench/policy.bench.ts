/** `fnguard policy` timings on a generated SAM app: N functions, each with a handler of SDK calls (prints figures; never pass/fail). */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsManagedPolicy, managedPolicyFile } from '../packages/fnguard/src/policy/managed.js';
import { runPolicy } from '../packages/fnguard/src/policy/report.js';

// AWS-managed policy data: size on disk, CPU to decompress it and parse the header plus one policy
// (paid once per process, on the first managed-policy reference), then per further policy
{
  const file = new URL('../packages/fnguard/data/aws-managed-policies.br', import.meta.url);
  const c0 = process.cpuUsage();
  awsManagedPolicy('AWSLambdaBasicExecutionRole');
  const c1 = process.cpuUsage(c0);
  const names = Object.keys(managedPolicyFile().index);
  const c2 = process.cpuUsage();
  for (const n of names) awsManagedPolicy(n);
  const c3 = process.cpuUsage(c2);
  const ms = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  console.log(
    `managed policies: ${names.length} in ${(statSync(file).size / 1024).toFixed(0)} KiB (Brotli); first lookup ${ms(c1).toFixed(1)} ms CPU, all others ${ms(c3).toFixed(0)} ms CPU (load ${loadavg()[0]?.toFixed(2)})`,
  );
}

const N = 120;
const dir = mkdtempSync(join(tmpdir(), 'fnguard-bench-policy-'));
try {
  const res: string[] = [];
  const fns: string[] = [];
  for (let i = 0; i < N; i++) {
    mkdirSync(join(dir, `f${i}`));
    writeFileSync(
      join(dir, `f${i}`, 'app.mjs'),
      `import { S3Client, GetObjectCommand, PutObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const s3 = new S3Client({});
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (e) => {
  await s3.send(new ListObjectsV2Command({ Bucket: process.env.BUCKET, Prefix: 'in/' }));
  await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: \`in/\${e.id}\` }));
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: \`out/\${e.id}\`, Body: 'x' }));
  await doc.send(new GetCommand({ TableName: process.env.TABLE, Key: { pk: e.id } }));
  await doc.send(new QueryCommand({ TableName: process.env.TABLE, IndexName: 'byUser' }));
  await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: process.env.TABLE, Item: {} } }] }));
  await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: process.env.QUEUE, MessageBody: 'm' }));
};
`,
    );
    fns.push(`  F${i}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      CodeUri: f${i}/
      Environment: { Variables: { BUCKET: !Ref B${i}, TABLE: !Ref T${i}, QUEUE: !Ref Q${i} } }
      Policies:
        - DynamoDBCrudPolicy: { TableName: !Ref T${i} }
        - S3CrudPolicy: { BucketName: !Ref B${i} }
        - Statement: [{ Effect: Allow, Action: ['sqs:*', 'lambda:*'], Resource: '*' }]`);
    res.push(`  B${i}: { Type: AWS::S3::Bucket }\n  T${i}: { Type: AWS::DynamoDB::Table }\n  Q${i}: { Type: AWS::SQS::Queue }`);
  }
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${fns.join('\n')}\n${res.join('\n')}\n`);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const out = await runPolicy({ root: dir, format: 'json', functions: [] });
    times.push(performance.now() - t0);
    bytes = out.text.length;
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  console.log(`policy (json) on ${N} SAM functions, 7 SDK calls each, 3 granted statements each`);
  console.log(
    `  first run ${(times[0] ?? 0).toFixed(0)} ms, warm median ${(warm[Math.floor(warm.length / 2)] ?? 0).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KiB of JSON`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
