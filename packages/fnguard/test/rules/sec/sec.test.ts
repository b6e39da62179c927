import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EnvVar } from '../../../src/model/types.js';
import { unknown } from '../../../src/model/types.js';
import SEC01 from '../../../src/rules/sec/SEC-01.js';
import SEC02 from '../../../src/rules/sec/SEC-02.js';
import SEC03 from '../../../src/rules/sec/SEC-03.js';
import SEC04 from '../../../src/rules/sec/SEC-04.js';
import SEC05 from '../../../src/rules/sec/SEC-05.js';
import SEC06 from '../../../src/rules/sec/SEC-06.js';
import SEC07 from '../../../src/rules/sec/SEC-07.js';
import SEC08 from '../../../src/rules/sec/SEC-08.js';
import SEC09 from '../../../src/rules/sec/SEC-09.js';
import SEC10 from '../../../src/rules/sec/SEC-10.js';
import { api, app, at, fn, resource, run } from '../lib/build.js';

const j = (...p: string[]) => p.join('');
const env = (name: string, value: EnvVar['value'], line = 10, level: EnvVar['level'] = 'function'): EnvVar => ({
  name,
  value,
  where: at(line),
  level,
});

describe('SEC-01 secrets in env', () => {
  test('vendor key: critical, value redacted in the message', () => {
    const key = j('AKIA', 'Z3Q7WXYV2LMN4PRT');
    const out = run(SEC01, app({ functions: [fn('a', { env: [env('AWS_KEY', key)] })] }));
    assert.equal(out.length, 1);
    assert.equal(out[0]?.severity, 'critical');
    assert.ok(!out[0]?.message.includes(key));
    assert.match(out[0]?.message ?? '', /AKIA\*\*\*\*/);
    // the fingerprint key names the variable and a digest of the value (a new secret is a new finding), never the value
    assert.match(out[0]?.key ?? '', /^env\|AWS_KEY\|[0-9a-f]{16}$/);
    assert.ok(!out[0]?.key?.includes(key));
    const other = run(SEC01, app({ functions: [fn('a', { env: [env('AWS_KEY', j('AKIA', 'Q9W8E7R6T5Y4U3I2'))] })] }));
    assert.notEqual(other[0]?.key, out[0]?.key);
  });
  test('generic password: high', () => {
    assert.equal(run(SEC01, app({ functions: [fn('a', { env: [env('DB_PASSWORD', 'Tr0ub4dor&3x!')] })] }))[0]?.severity, 'high');
  });
  test('provider-level var shared by functions is reported once', () => {
    const shared = env('API_TOKEN', 'f7G2kLp9Qz4Xw8Vn1Mb6Rt3Yh5Jd0Sa2', 5, 'provider');
    const out = run(SEC01, app({ functions: [fn('a', { env: [shared] }), fn('b', { env: [{ ...shared }] })] }));
    assert.equal(out.length, 1);
    assert.equal(out[0]?.fn, null);
    assert.match(out[0]?.message ?? '', /2 functions/);
  });
  test('references, placeholders, names of secrets: silent', () => {
    const e = [
      env('DB_PASSWORD', unknown('!Ref DbPassword', { hint: 'parameter' })),
      env('DB_PASSWORD2', unknown('${ssm:/db/pw}', { hint: 'secret-reference' })),
      env('DB_SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCd'),
      env('API_KEY', 'changeme'),
      env('TABLE_NAME', 'orders'),
    ];
    assert.equal(run(SEC01, app({ functions: [fn('a', { env: e })] })).length, 0);
  });
});

describe('SEC-02 env without CMK', () => {
  test('env and no key: low; with key (even Unknown) or no env: silent', () => {
    assert.equal(run(SEC02, app({ functions: [fn('a', { env: [env('X', '1')] })] }))[0]?.severity, 'low');
    assert.equal(
      run(SEC02, app({ functions: [fn('a', { env: [env('X', '1')], kmsKeyArn: unknown('!GetAtt K.Arn') }), fn('b')] })).length,
      0,
    );
  });
});

describe('SEC-03 deploy-time secret resolution', () => {
  test('secret-reference Unknown fires; plain refs do not', () => {
    const e = [
      env('DB_PASSWORD', unknown('{{resolve:secretsmanager:db:SecretString:password}}', { hint: 'secret-reference' })),
      env('TABLE', unknown('!Ref Table', { hint: 'ref' })),
    ];
    const out = run(SEC03, app({ functions: [fn('a', { env: e })] }));
    assert.equal(out.length, 1);
    assert.match(out[0]?.message ?? '', /DB_PASSWORD/);
  });
});

describe('SEC-03 NoEcho parameter in env', () => {
  test('a NoEcho parameter placed in env fires; a plain parameter does not', () => {
    const e = [
      env('DB_PASSWORD', unknown('!Ref DbPassword', { hint: 'parameter', target: 'DbPassword' })),
      env('STAGE', unknown('!Ref Stage', { hint: 'parameter', target: 'Stage' })),
    ];
    const params = [
      resource('DbPassword', 'parameter', { props: { noEcho: true }, where: at(1) }),
      resource('Stage', 'parameter', { where: at(2) }),
    ];
    params.forEach((p) => {
      p.where = { ...p.where, file: '/proj/serverless.yml' };
    });
    const out = run(SEC03, app({ functions: [fn('a', { env: e })], resources: params }));
    assert.equal(out.length, 1);
    assert.match(out[0]?.message ?? '', /NoEcho parameter DbPassword/);
  });
});

describe('SEC-04 stage variables', () => {
  test('literal secret fires; non-secret stage vars silent', () => {
    const stages = [
      {
        name: 'prod',
        where: at(40),
        variables: [env('partnerToken', j('ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8')), env('lambdaAlias', 'live')],
      },
    ];
    const out = run(SEC04, app({ apis: [api('Api', { stages })] }));
    assert.equal(out.length, 1);
    assert.match(out[0]?.message ?? '', /partnerToken/);
  });
});

describe('SEC-05 API key values', () => {
  test('literal value fires; no value, Unknown or placeholder silent', () => {
    const apiKeys = [
      { name: 'partner', value: 'q8Lz2NvX7Wm4Kp9Rt3Yb6Hc1', where: at(50) },
      { name: 'generated', where: at(51) },
      { name: 'fromParam', value: unknown('${ssm:/k}'), where: at(52) },
      { name: 'ph', value: '<api-key>', where: at(53) },
    ];
    const out = run(SEC05, app({ apis: [api('Api', { apiKeys })] }));
    assert.equal(out.length, 1);
    assert.ok(!out[0]?.message.includes('q8Lz2NvX7Wm4Kp9Rt3Yb6Hc1'));
  });
});

describe('SEC-06 parameters', () => {
  test('CFN secret parameter without NoEcho fires; with NoEcho silent', () => {
    assert.equal(
      run(SEC06, app({ resources: [resource('DbPassword', 'parameter', { name: 'DbPassword', props: { type: 'String' } })] })).length,
      1,
    );
    assert.equal(
      run(SEC06, app({ resources: [resource('DbPassword', 'parameter', { name: 'DbPassword', props: { noEcho: true } })] })).length,
      0,
    );
  });
  test('literal secret default fires even with NoEcho', () => {
    const out = run(
      SEC06,
      app({ resources: [resource('DbPassword', 'parameter', { name: 'DbPassword', props: { noEcho: true, default: 'Tr0ub4dor&3x!' } })] }),
    );
    assert.equal(out.length, 1);
    assert.match(out[0]?.message ?? '', /hard-coded secret default/);
  });
  test('terraform variable with literal secret default fires; sensitive without default, or placeholder default, silent', () => {
    assert.equal(
      run(
        SEC06,
        app({ resources: [resource('var.db_password', 'parameter', { format: 'terraform', props: { default: 'S3cure!Passw0rd#2024' } })] }),
      ).length,
      1,
    );
    assert.equal(
      run(SEC06, app({ resources: [resource('var.db_password', 'parameter', { format: 'terraform', props: { sensitive: true } })] }))
        .length,
      0,
    );
    assert.equal(
      run(SEC06, app({ resources: [resource('var.db_password', 'parameter', { format: 'terraform', props: { default: 'changeme' } })] }))
        .length,
      0,
    );
  });
  test('tfvars literal is reported at its value, naming the file', () => {
    const r = resource('tfvars:terraform.tfvars:db_password', 'parameter', {
      format: 'terraform',
      sourceType: 'tfvars',
      name: 'db_password',
      props: { default: 'S3cure!Passw0rd#2024', tfvarsFile: 'terraform.tfvars', defaultWhere: at(77) },
    });
    const out = run(SEC06, app({ resources: [r] }));
    assert.equal(out.length, 1);
    assert.equal(out[0]?.where.line, 77);
    assert.match(out[0]?.message ?? '', /terraform\.tfvars/);
  });
  test('non-secret names and SSM-path parameter types are silent', () => {
    assert.equal(run(SEC06, app({ resources: [resource('Stage', 'parameter', { name: 'Stage', props: { default: 'prod' } })] })).length, 0);
    assert.equal(
      run(
        SEC06,
        app({
          resources: [
            resource('DbPasswordParam', 'parameter', {
              name: 'DbPasswordParam',
              props: { type: 'AWS::SSM::Parameter::Value<String>', default: '/orders/db-password' },
            }),
          ],
        }),
      ).length,
      0,
    );
  });
});

describe('SEC-07 cache encryption', () => {
  test('cache on, not encrypted fires; encrypted or cache off silent', () => {
    const stages = [
      { name: 'prod', cacheEnabled: true, where: at(60) },
      { name: 'dev', cacheEnabled: true, cacheEncrypted: true, where: at(61) },
      { name: 'test', cacheEnabled: false, where: at(62) },
    ];
    const out = run(SEC07, app({ apis: [api('Api', { stages })] }));
    assert.deepEqual(
      out.map((f) => f.where.line),
      [60],
    );
  });
});

describe('SEC-08 encryption at rest', () => {
  test('SNS topic without key fires (unset = none); SQS unset is silent; aws-managed is info', () => {
    const out = run(
      SEC08,
      app({
        resources: [
          resource('Topic', 'sns-topic'),
          resource('Queue', 'sqs-queue'),
          resource('Q2', 'sqs-queue', { props: { encryption: 'aws-managed' } }),
          resource('Q3', 'sqs-queue', { props: { encryption: 'cmk' } }),
        ],
      }),
    );
    assert.deepEqual(
      out.map((f) => [f.resource, f.severity]),
      [
        ['Topic', 'low'],
        ['Q2', 'info'],
      ],
    );
  });
  test('Unknown encryption is silent', () => {
    assert.equal(run(SEC08, app({ resources: [resource('Topic', 'sns-topic', { props: { encryption: unknown('!If x') } })] })).length, 0);
  });
});

describe('SEC-09 deployment bucket', () => {
  test('explicit blockPublicAccess false is medium; a named external bucket is info; the Serverless-managed one is silent', () => {
    assert.equal(
      run(SEC09, app({ resources: [resource('b', 'deployment-bucket', { format: 'serverless', props: { blockPublicAccess: false } })] }))[0]
        ?.severity,
      'medium',
    );
    assert.equal(
      run(
        SEC09,
        app({ resources: [resource('b', 'deployment-bucket', { format: 'serverless', name: 'my-deploys', props: { external: true } })] }),
      )[0]?.severity,
      'info',
    );
    assert.equal(
      run(
        SEC09,
        app({
          resources: [
            resource('b', 'deployment-bucket', { format: 'serverless', props: { managedByServerless: true, encryption: 'aws-managed' } }),
          ],
        }),
      ).length,
      0,
    );
    assert.equal(
      run(SEC09, app({ resources: [resource('b', 'deployment-bucket', { format: 'serverless', props: { blockPublicAccess: true } })] }))
        .length,
      0,
    );
  });
  test('unencrypted artifact bucket', () => {
    assert.equal(
      run(
        SEC09,
        app({ resources: [resource('ArtifactBucket', 'deployment-bucket', { props: { blockPublicAccess: true, encryption: 'none' } })] }),
      ).length,
      1,
    );
  });
});

describe('SEC-10 TLS verification off', () => {
  test('NODE_TLS_REJECT_UNAUTHORIZED=0 and PYTHONHTTPSVERIFY=0 fire; =1 silent', () => {
    const e = [
      env('NODE_TLS_REJECT_UNAUTHORIZED', '0', 1),
      env('PYTHONHTTPSVERIFY', '0', 2),
      env('NODE_TLS_REJECT_UNAUTHORIZED', '1', 3),
      env('NODE_EXTRA_CA_CERTS', '/var/task/ca.pem', 4),
    ];
    assert.equal(run(SEC10, app({ functions: [fn('a', { env: e })] })).length, 2);
  });
});
