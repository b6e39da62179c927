/** Resource-level excess: granted resources wider than what the code touches are `narrowable`; equal or unresolved ones are not. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { runPolicy } from '../../src/policy/report.js';
import { rmTree, tmpTree } from '../helpers/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});

interface Narrowable {
  grant: string;
  actions: string[];
  resource: string;
  suggested: string[];
}

async function narrowable(
  statements: string,
  code: string,
  env = 'BUCKET: !Ref Data\n          TABLE: !Ref Orders',
): Promise<Narrowable[]> {
  const dir = tmpTree({
    'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          ${env}
      Policies:
        - Statement:
${statements}
  Data:
    Type: AWS::S3::Bucket
  Orders:
    Type: AWS::DynamoDB::Table
`,
    'src/app.mjs': code,
  });
  dirs.push(dir);
  const r = JSON.parse((await runPolicy({ root: dir, format: 'json', functions: ['Worker'] })).text) as {
    functions: { narrowable: Narrowable[] }[];
  };
  return r.functions[0]?.narrowable ?? [];
}

/** The CloudFormation display of the bucket's ARN (not a JS template). */
const DATA_ARN = ['$', '{Data.Arn}'].join('');
const S3_CODE = `import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
export const handler = async (e) => {
  await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: \`uploads/\${e.key}\` }));
};
`;
const DDB_CODE = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
export const handler = async (e) => new DynamoDBClient({}).send(new GetItemCommand({ TableName: process.env.TABLE, Key: {} }));
`;

test('bucket/* granted, the code reads only uploads/*: narrowable to the prefix', async () => {
  const n = await narrowable(`            - { Effect: Allow, Action: 's3:GetObject', Resource: !Sub '\${Data.Arn}/*' }`, S3_CODE);
  assert.equal(n.length, 1);
  assert.deepEqual(n[0]?.actions, ['s3:GetObject']);
  assert.equal(n[0]?.resource, `${DATA_ARN}/*`);
  assert.deepEqual(n[0]?.suggested, [`${DATA_ARN}/uploads/*`]);
});

test('the grant is exactly what the code uses: nothing to narrow', async () => {
  const n = await narrowable(`            - { Effect: Allow, Action: 's3:GetObject', Resource: !Sub '\${Data.Arn}/uploads/*' }`, S3_CODE);
  assert.deepEqual(n, []);
});

test('table/* with wildcard region and account, the code uses one table: narrowable to it', async () => {
  const n = await narrowable(
    `            - { Effect: Allow, Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:*:*:table/*' }`,
    DDB_CODE,
  );
  assert.equal(n.length, 1);
  assert.equal(n[0]?.resource, 'arn:aws:dynamodb:*:*:table/*');
  assert.equal(n[0]?.suggested.length, 1);
  assert.match(n[0]?.suggested[0] ?? '', /Orders/);
});

test('a grant that does not cover the used resource is not narrowable (it is missing instead)', async () => {
  const n = await narrowable(`            - { Effect: Allow, Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*' }`, S3_CODE);
  assert.deepEqual(n, []);
});

test('an unresolved resource never narrows a pattern (only * keeps its resolved suggestions)', async () => {
  const code = `import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
export const handler = async (e) => {
  await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: \`uploads/\${e.key}\` }));
  await s3.send(new GetObjectCommand({ Bucket: process.env.NOT_SET, Key: 'k' }));
};
`;
  const n = await narrowable(`            - { Effect: Allow, Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' }`, code);
  assert.deepEqual(n, []);
});

test('Resource "*" stays narrowable as before', async () => {
  const n = await narrowable(`            - { Effect: Allow, Action: 's3:GetObject', Resource: '*' }`, S3_CODE);
  assert.equal(n.length, 1);
  assert.equal(n[0]?.resource, '*');
  assert.deepEqual(n[0]?.suggested, [`${DATA_ARN}/uploads/*`]);
});
