import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unknown } from '../../../src/model/types.js';
import PERM01 from '../../../src/rules/perm/PERM-01.js';
import PERM02 from '../../../src/rules/perm/PERM-02.js';
import PERM03 from '../../../src/rules/perm/PERM-03.js';
import PERM04 from '../../../src/rules/perm/PERM-04.js';
import PERM05 from '../../../src/rules/perm/PERM-05.js';
import PERM06 from '../../../src/rules/perm/PERM-06.js';
import PERM07 from '../../../src/rules/perm/PERM-07.js';
import PERM08 from '../../../src/rules/perm/PERM-08.js';
import PERM09 from '../../../src/rules/perm/PERM-09.js';
import PERM10 from '../../../src/rules/perm/PERM-10.js';
import PERM12 from '../../../src/rules/perm/PERM-12.js';
import { app, at, fn, identity, resource, run, stmt } from '../lib/build.js';

const oneRole = (...statements: ReturnType<typeof stmt>[]) => {
  const role = identity('IamRoleLambdaExecution', { statements });
  return { role, a: app({ roles: [[role, [fn('api')]]] }) };
};

describe('PERM-01 admin statement', () => {
  test('Action * Resource * fires once per statement at the statement', () => {
    const s = stmt({ actions: ['*'], resources: ['*'] });
    const role = identity('Role', { statements: [s] });
    const f = run(PERM01, app({ roles: [[role, [fn('a'), fn('b'), fn('c')]]] }));
    assert.equal(f.length, 1);
    assert.equal(f[0]?.where, s.where);
    assert.equal(f[0]?.resource, 'Role');
    assert.equal(f[0]?.fn, null);
    assert.match(f[0]?.message ?? '', /'a', 'b', 'c'/);
  });
  test('single function: reported against that function', () => {
    const { a } = oneRole(stmt({ actions: ['*'], resources: ['*'] }));
    assert.equal(run(PERM01, a)[0]?.fn?.name, 'api');
  });
  test('scoped resource, Deny, Unknown action, external role, aws-managed expansion: silent', () => {
    assert.equal(run(PERM01, oneRole(stmt({ actions: ['*'], resources: ['arn:aws:s3:::orders/*'] })).a).length, 0);
    assert.equal(run(PERM01, oneRole(stmt({ effect: 'Deny', actions: ['*'], resources: ['*'] })).a).length, 0);
    assert.equal(run(PERM01, oneRole(stmt({ actions: [unknown('${self:custom.act}')], resources: ['*'] })).a).length, 0);
    assert.equal(run(PERM01, oneRole(stmt({ effect: unknown('!Ref Eff'), actions: ['*'], resources: ['*'] })).a).length, 0);
    assert.equal(
      run(PERM01, oneRole(stmt({ actions: ['*'], resources: ['*'], origin: { kind: 'aws-managed', name: 'AdministratorAccess' } })).a)
        .length,
      0,
    );
    const ext = identity('ext', { external: true, statements: [stmt({ actions: ['*'], resources: ['*'] })] });
    assert.equal(run(PERM01, app({ roles: [[ext, [fn('x')]]] })).length, 0);
  });
  test('roles no function uses are not reported', () => {
    const role = identity('Orphan', { statements: [stmt({ actions: ['*'], resources: ['*'] })] });
    assert.equal(run(PERM01, app({ identities: [role] })).length, 0);
  });
});

describe('PERM-02 wildcard action', () => {
  test('service wildcard is high', () => {
    const f = run(PERM02, oneRole(stmt({ actions: ['dynamodb:*'], resources: ['arn:aws:dynamodb:eu-west-1:1:table/orders'] })).a);
    assert.equal(f.length, 1);
    assert.equal(f[0]?.severity, 'high');
    assert.match(f[0]?.message ?? '', /'dynamodb:\*'/);
  });
  test('telemetry service wildcard is medium', () => {
    assert.equal(run(PERM02, oneRole(stmt({ actions: ['logs:*'], resources: ['arn:aws:logs:*:*:*'] })).a)[0]?.severity, 'medium');
    assert.equal(run(PERM02, oneRole(stmt({ actions: ['logs:*', 's3:*'], resources: ['arn:aws:s3:::b'] })).a)[0]?.severity, 'high');
  });
  test('prefix wildcard is low', () => {
    assert.equal(run(PERM02, oneRole(stmt({ actions: ['s3:Get*'], resources: ['arn:aws:s3:::b/*'] })).a)[0]?.severity, 'low');
  });
  test('explicit actions and admin statements (PERM-01) are not reported', () => {
    assert.equal(run(PERM02, oneRole(stmt({ actions: ['dynamodb:GetItem'] })).a).length, 0);
    assert.equal(run(PERM02, oneRole(stmt({ actions: ['*'], resources: ['*'] })).a).length, 0);
  });
});

describe('PERM-03 Resource *', () => {
  test('scopable action on * fires', () => {
    const f = run(PERM03, oneRole(stmt({ actions: ['dynamodb:PutItem', 'xray:PutTraceSegments'], resources: ['*'] })).a);
    assert.equal(f.length, 1);
    assert.match(f[0]?.message ?? '', /dynamodb:PutItem/);
    assert.doesNotMatch(f[0]?.message ?? '', /xray/);
  });
  test('the usual logging boilerplate on arn:aws:logs:*:*:* is not reported', () => {
    assert.equal(
      run(
        PERM03,
        oneRole(stmt({ actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['arn:aws:logs:*:*:*'] }))
          .a,
      ).length,
      0,
    );
  });
  test('SAM policy template statements are not reported', () => {
    assert.equal(
      run(
        PERM03,
        oneRole(
          stmt({
            actions: ['rekognition:DetectFaces'],
            resources: ['*'],
            origin: { kind: 'sam-template', name: 'RekognitionDetectOnlyPolicy' },
          }),
        ).a,
      ).length,
      0,
    );
    assert.equal(run(PERM03, oneRole(stmt({ actions: ['rekognition:DetectFaces'], resources: ['*'] })).a).length, 1);
  });
  test('actions PERM-04/05/06 report are left to them', () => {
    assert.equal(
      run(PERM03, oneRole(stmt({ actions: ['secretsmanager:GetSecretValue', 's3:PutBucketPolicy', 'iam:PassRole'], resources: ['*'] })).a)
        .length,
      0,
    );
    const f = run(PERM03, oneRole(stmt({ actions: ['secretsmanager:GetSecretValue', 'sns:Publish'], resources: ['*'] })).a);
    assert.equal(f.length, 1);
    assert.doesNotMatch(f[0]?.message ?? '', /secretsmanager/);
  });
  test('wildcard account in ARN fires', () => {
    assert.equal(run(PERM03, oneRole(stmt({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:*:orders'] })).a).length, 1);
  });
  test('actions that only support *, scoped ARNs, conditions, Unknown resources: silent', () => {
    assert.equal(
      run(
        PERM03,
        oneRole(stmt({ actions: ['xray:PutTraceSegments', 'ec2:DescribeNetworkInterfaces', 'cloudwatch:PutMetricData'], resources: ['*'] }))
          .a,
      ).length,
      0,
    );
    assert.equal(
      run(PERM03, oneRole(stmt({ actions: ['dynamodb:PutItem'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'] })).a)
        .length,
      0,
    );
    assert.equal(
      run(
        PERM03,
        oneRole(stmt({ actions: ['dynamodb:PutItem'], resources: ['*'], condition: { StringEquals: { 'aws:ResourceTag/app': 'orders' } } }))
          .a,
      ).length,
      0,
    );
    assert.equal(
      run(PERM03, oneRole(stmt({ actions: ['dynamodb:PutItem'], resources: [unknown('!GetAtt T.Arn', { target: 'T' })] })).a).length,
      0,
    );
  });
});

describe('PERM-04 escalation', () => {
  test('iam:Put* matches the Put*Policy primitives', () => {
    const f = run(PERM04, oneRole(stmt({ actions: ['iam:Put*'], resources: ['*'] })).a);
    assert.equal(f.length, 1);
    assert.match(f[0]?.message ?? '', /iam:PutRolePolicy/);
  });
  test('unscoped PassRole fires, PassRole on one role does not', () => {
    assert.equal(run(PERM04, oneRole(stmt({ actions: ['iam:PassRole'], resources: ['*'] })).a).length, 1);
    assert.equal(
      run(PERM04, oneRole(stmt({ actions: ['iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/worker'] })).a).length,
      0,
    );
  });
  test('PassRole + CreateFunction + InvokeFunction combination across statements', () => {
    const f = run(
      PERM04,
      oneRole(
        stmt({ actions: ['iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/worker'] }),
        stmt({
          actions: ['lambda:CreateFunction', 'lambda:InvokeFunction'],
          resources: ['arn:aws:lambda:eu-west-1:123456789012:function:x'],
        }),
      ).a,
    );
    assert.equal(f.length, 1);
    assert.match(f[0]?.message ?? '', /iam:PassRole with lambda:CreateFunction \+ lambda:InvokeFunction/);
  });
  test('lambda:UpdateFunctionCode on * fires; on its own ARN it does not', () => {
    assert.equal(run(PERM04, oneRole(stmt({ actions: ['lambda:UpdateFunctionCode'], resources: ['*'] })).a).length, 1);
    assert.equal(
      run(PERM04, oneRole(stmt({ actions: ['lambda:UpdateFunctionCode'], resources: ['arn:aws:lambda:eu-west-1:1:function:me'] })).a)
        .length,
      0,
    );
  });
  test('a global Deny removes the primitive', () => {
    assert.equal(
      run(PERM04, oneRole(stmt({ actions: ['iam:*'], resources: ['*'] }), stmt({ effect: 'Deny', actions: ['iam:*'], resources: ['*'] })).a)
        .length,
      0,
    );
  });
  test('read-only IAM is not escalation', () => {
    assert.equal(run(PERM04, oneRole(stmt({ actions: ['iam:GetRole', 'iam:List*'], resources: ['*'] })).a).length, 0);
  });
});

describe('PERM-05 exfiltration / credentials', () => {
  test('secretsmanager:GetSecretValue on * fires', () => {
    const f = run(PERM05, oneRole(stmt({ actions: ['secretsmanager:GetSecretValue'], resources: ['*'] })).a);
    assert.equal(f.length, 1);
    assert.match(f[0]?.message ?? '', /read data\/secrets/);
  });
  test('s3:* on every bucket fires; sts:AssumeRole on * fires as credentials', () => {
    assert.equal(run(PERM05, oneRole(stmt({ actions: ['s3:*'], resources: ['arn:aws:s3:::*'] })).a).length, 1);
    assert.match(run(PERM05, oneRole(stmt({ actions: ['sts:AssumeRole'], resources: ['*'] })).a)[0]?.message ?? '', /obtain credentials/);
  });
  test('scoped to one secret: silent', () => {
    assert.equal(
      run(
        PERM05,
        oneRole(
          stmt({ actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCd'] }),
        ).a,
      ).length,
      0,
    );
  });
});

describe('PERM-06 permissions management', () => {
  test('iam:* fires even on a scoped resource', () => {
    assert.match(
      run(PERM06, oneRole(stmt({ actions: ['iam:*'], resources: ['arn:aws:iam::1:role/x'] })).a)[0]?.message ?? '',
      /full iam access/,
    );
  });
  test('s3:PutBucketPolicy on * fires; on one bucket is silent', () => {
    assert.equal(run(PERM06, oneRole(stmt({ actions: ['s3:PutBucketPolicy'], resources: ['*'] })).a).length, 1);
    assert.equal(run(PERM06, oneRole(stmt({ actions: ['s3:PutBucketPolicy'], resources: ['arn:aws:s3:::orders'] })).a).length, 0);
  });
  test('kms:Decrypt on one key is silent', () => {
    assert.equal(run(PERM06, oneRole(stmt({ actions: ['kms:Decrypt'], resources: ['arn:aws:kms:eu-west-1:1:key/abc'] })).a).length, 0);
  });
});

describe('PERM-07 NotAction / NotResource / NotPrincipal', () => {
  test('Allow + NotAction fires', () => {
    assert.equal(run(PERM07, oneRole(stmt({ actions: undefined, notActions: ['iam:*'], resources: ['*'] })).a).length, 1);
  });
  test('Deny + NotAction is fine', () => {
    assert.equal(run(PERM07, oneRole(stmt({ effect: 'Deny', actions: undefined, notActions: ['s3:GetObject'] })).a).length, 0);
  });
  test('resource policy Allow + NotPrincipal fires', () => {
    const q = resource('Queue', 'sqs-queue', {
      policy: [stmt({ actions: ['sqs:SendMessage'], notPrincipal: { AWS: ['arn:aws:iam::1:root'] } })],
    });
    const f = run(PERM07, app({ resources: [q] }));
    assert.equal(f.length, 1);
    assert.equal(f[0]?.resource, 'Queue');
  });
});

describe('PERM-08 AWS-managed policies', () => {
  const withPolicy = (arn: string) => {
    const role = identity('Role', { managedPolicies: [{ arn, awsManaged: arn.includes(':aws:policy/'), where: at(50) }] });
    return app({ roles: [[role, [fn('a')]]] });
  };
  test('AdministratorAccess is high, AmazonS3FullAccess is medium', () => {
    assert.equal(run(PERM08, withPolicy('arn:aws:iam::aws:policy/AdministratorAccess'))[0]?.severity, 'high');
    assert.equal(run(PERM08, withPolicy('arn:aws:iam::aws:policy/AmazonS3FullAccess'))[0]?.severity, 'medium');
  });
  test('basic execution role, read-only and customer-managed FullAccess names are silent', () => {
    assert.equal(run(PERM08, withPolicy('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')).length, 0);
    assert.equal(run(PERM08, withPolicy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')).length, 0);
    assert.equal(run(PERM08, withPolicy('arn:aws:iam::123456789012:policy/OrdersFullAccess')).length, 0);
  });
  test('Unknown ARN is silent', () => {
    const role = identity('Role', { managedPolicies: [{ arn: unknown('!Ref PolicyArn'), where: at(51) }] });
    assert.equal(run(PERM08, app({ roles: [[role, [fn('a')]]] })).length, 0);
  });
});

describe('PERM-09 shared role', () => {
  test('a role with data permissions shared by two functions fires once, naming both', () => {
    const role = identity('IamRoleLambdaExecution', {
      statements: [stmt({ actions: ['dynamodb:PutItem'], resources: ['arn:aws:dynamodb:eu-west-1:1:table/o'] })],
    });
    const f = run(PERM09, app({ roles: [[role, [fn('createOrder'), fn('listOrders')]]] }));
    assert.equal(f.length, 1);
    assert.equal(f[0]?.resource, 'IamRoleLambdaExecution');
    assert.match(f[0]?.message ?? '', /'createOrder', 'listOrders'/);
  });
  test('one function per role, or a shared logging-only role: silent', () => {
    const r1 = identity('R1', { statements: [stmt({ actions: ['dynamodb:PutItem'] })] });
    const r2 = identity('R2', { statements: [stmt({ actions: ['dynamodb:GetItem'] })] });
    assert.equal(
      run(
        PERM09,
        app({
          roles: [
            [r1, [fn('a')]],
            [r2, [fn('b')]],
          ],
        }),
      ).length,
      0,
    );
    const logs = identity('Logs', {
      statements: [stmt({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'] })],
      managedPolicies: [{ arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', where: at(60) }],
    });
    assert.equal(run(PERM09, app({ roles: [[logs, [fn('a'), fn('b')]]] })).length, 0);
  });
  test('shared external role is info', () => {
    const ext = identity('arn:aws:iam::1:role/shared', { external: true });
    assert.equal(run(PERM09, app({ roles: [[ext, [fn('a'), fn('b')]]] }))[0]?.severity, 'info');
  });
});

describe('PERM-10 trust policy', () => {
  const trusting = (principal: NonNullable<ReturnType<typeof stmt>['principal']>, condition?: Record<string, Record<string, unknown>>) => {
    const role = identity('Role', {
      trust: [stmt({ actions: ['sts:AssumeRole'], resources: undefined, principal, ...(condition ? { condition } : {}) })],
    });
    return app({ roles: [[role, [fn('a')]]] });
  };
  test('Principal * is high', () => {
    assert.equal(run(PERM10, trusting('*'))[0]?.severity, 'high');
    assert.equal(run(PERM10, trusting({ AWS: ['*'] }))[0]?.severity, 'high');
  });
  test('another account is medium', () => {
    const f = run(PERM10, trusting({ Service: ['lambda.amazonaws.com'], AWS: ['arn:aws:iam::999999999999:root'] }));
    assert.equal(f[0]?.severity, 'medium');
    assert.match(f[0]?.message ?? '', /999999999999/);
  });
  test('lambda only (and Lambda@Edge) is fine; Unknown principal is silent', () => {
    assert.equal(run(PERM10, trusting({ Service: ['lambda.amazonaws.com'] })).length, 0);
    assert.equal(run(PERM10, trusting({ Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] })).length, 0);
    assert.equal(run(PERM10, trusting(unknown('!Ref Principal'))).length, 0);
  });
});

describe('PERM-12 data access', () => {
  test('DynamoDB and Secrets Manager access reported as info', () => {
    const f = run(
      PERM12,
      oneRole(
        stmt({ actions: ['dynamodb:Query'], resources: ['arn:aws:dynamodb:eu-west-1:1:table/o'] }),
        stmt({ actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:x'] }),
      ).a,
    );
    assert.equal(f.length, 1);
    assert.equal(f[0]?.severity, 'info');
    assert.deepEqual(f[0]?.details?.dataStores, ['DynamoDB', 'Secrets Manager']);
  });
  test('logging-only role: silent', () => {
    assert.equal(run(PERM12, oneRole(stmt({ actions: ['logs:PutLogEvents'] })).a).length, 0);
  });
});

describe('CDK framework functions', () => {
  test('a role used only by the CDK log-retention singleton is not reported', () => {
    const role = identity('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aServiceRoleDefaultPolicyADDA7DEB', {
      statements: [stmt({ actions: ['logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy'], resources: ['*'] })],
    });
    const f = fn('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aFD4BFC8A', {
      format: 'cdk',
      cdkPath: 'Stack/LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a/Resource',
    });
    assert.equal(run(PERM03, app({ roles: [[role, [f]]] })).length, 0);
    const mine = fn('Api', { format: 'cdk', cdkPath: 'Stack/Api/Resource' });
    assert.equal(run(PERM03, app({ roles: [[role, [f, mine]]] })).length, 1);
  });
});

describe('permissions boundary', () => {
  test('the message says a boundary limits the role; the finding stays', () => {
    const role = identity('Role', {
      permissionsBoundary: 'arn:aws:iam::123456789012:policy/boundary',
      statements: [stmt({ actions: ['*'], resources: ['*'] })],
    });
    const f = run(PERM01, app({ roles: [[role, [fn('a')]]] }));
    assert.equal(f.length, 1);
    assert.match(f[0]?.message ?? '', /limited by a permissions boundary/);
  });
});
