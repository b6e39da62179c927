// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless Framework `${}` variable syntax in plain strings
/**
 * Benchmark input for the Serverless Framework adapter: `serverlessConfig(n)` is a serverless.yml
 * with n functions (mixed events, per-function and provider IAM, environment with variables,
 * `resources:` queues and tables); n = 270 gives about 5,000 lines. `writeServerlessProject(dir, n)`
 * writes it (plus a `${file()}` config and handler files) into `dir`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function serverlessConfig(functions = 270): string {
  const out: string[] = [
    'service: bench',
    "frameworkVersion: '3'",
    'custom:',
    '  tableName: bench-${sls:stage}',
    '  settings: ${file(./config/${opt:stage, "dev"}.yml)}',
    '  memory:',
    '    dev: 512',
    '    prod: 1024',
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    "  stage: ${opt:stage, 'dev'}",
    '  region: eu-west-1',
    '  memorySize: ${self:custom.memory.${self:provider.stage}}',
    '  timeout: 10',
    '  logRetentionInDays: 30',
    '  tracing:',
    '    lambda: true',
    '    apiGateway: true',
    '  logs:',
    '    restApi: true',
    '    httpApi: true',
    '  environment:',
    '    TABLE: ${self:custom.tableName}',
    '    STAGE: ${sls:stage}',
    '    LOG_LEVEL: ${self:custom.settings.logLevel}',
    '    DB_PASSWORD: ${ssm:/bench/${sls:stage}/db-password}',
    '  apiGateway:',
    '    usagePlan:',
    '      throttle:',
    '        burstLimit: 200',
    '        rateLimit: 100',
    '  httpApi:',
    '    authorizers:',
    '      jwt:',
    '        type: jwt',
    '        identitySource: $request.header.Authorization',
    '        issuerUrl: https://issuer.example.com/',
    '        audience: [bench]',
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    '          Action:',
    '            - dynamodb:GetItem',
    '            - dynamodb:PutItem',
    '            - dynamodb:Query',
    '          Resource:',
    '            - Fn::GetAtt: [Table, Arn]',
    '        - Effect: Allow',
    '          Action: sqs:SendMessage',
    "          Resource: '*'",
    '  deploymentBucket:',
    '    blockPublicAccess: true',
    'functions:',
  ];
  for (let i = 0; i < functions; i++) {
    const name = `fn${i}`;
    out.push(`  ${name}:`);
    out.push(`    handler: src/${name}.handler`);
    if (i % 3 === 0) out.push('    memorySize: 256', `    reservedConcurrency: ${(i % 10) + 1}`);
    out.push(`    description: generated function ${i}`, `    timeout: ${10 + (i % 20)}`);
    out.push('    tags:', `      owner: team-${i % 5}`, `      cost-center: cc-${i % 7}`);
    out.push(
      '    environment:',
      `      FN_NAME: ${name}`,
      `      QUEUE_URL: \${self:custom.tableName}-${name}`,
      `      FEATURE_FLAG: \${env:FEATURE_${i % 3}, 'off'}`,
      `      REGION: \${self:provider.region}`,
    );
    if (i % 4 === 0) {
      out.push(
        '    iamRoleStatements:',
        '      - Effect: Allow',
        '        Action: s3:GetObject',
        `        Resource: arn:aws:s3:::bench-${name}/*`,
      );
    }
    out.push('    events:');
    switch (i % 6) {
      case 0:
        out.push('      - http:', `          path: items/${name}`, '          method: get', '          authorizer: aws_iam');
        break;
      case 1:
        out.push(
          '      - httpApi:',
          '          method: POST',
          `          path: /items/${name}`,
          '          authorizer:',
          '            name: jwt',
        );
        break;
      case 2:
        out.push('      - sqs:', '          arn:', '            Fn::GetAtt: [Queue, Arn]', '          batchSize: 10');
        break;
      case 3:
        out.push('      - schedule: rate(5 minutes)', '      - sns: arn:aws:sns:eu-west-1:123456789012:topic');
        break;
      case 4:
        out.push(
          '      - stream:',
          '          type: dynamodb',
          '          arn:',
          '            Fn::GetAtt: [Table, StreamArn]',
          '          maximumRetryAttempts: 2',
        );
        break;
      default:
        out.push('      - s3:', `          bucket: bench-${name}`, '          event: s3:ObjectCreated:*', `      - http: GET open/${name}`);
    }
  }
  out.push(
    'resources:',
    '  Resources:',
    '    Table:',
    '      Type: AWS::DynamoDB::Table',
    '      Properties:',
    '        TableName: ${self:custom.tableName}',
    '        BillingMode: PAY_PER_REQUEST',
    '        StreamSpecification:',
    '          StreamViewType: NEW_IMAGE',
    '    Queue:',
    '      Type: AWS::SQS::Queue',
    '      Properties:',
    '        KmsMasterKeyId: alias/aws/sqs',
  );
  return `${out.join('\n')}\n`;
}

/** Write a serverless project with `functions` functions into `dir`; returns the serverless.yml path. */
export function writeServerlessProject(dir: string, functions = 270): string {
  mkdirSync(join(dir, 'config'), { recursive: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'config', 'dev.yml'), 'logLevel: info\n');
  for (let i = 0; i < functions; i++)
    writeFileSync(
      join(dir, 'src', `fn${i}.js`),
      `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ fn: ${i} }) });\n`,
    );
  const file = join(dir, 'serverless.yml');
  writeFileSync(file, serverlessConfig(functions));
  return file;
}
