// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${}` syntax in plain strings
/**
 * Benchmark inputs for the CloudFormation adapter:
 * - `samTemplate(n)`: a SAM template (YAML, short-form intrinsics) with Globals, n functions with
 *   events/policy templates/environment, APIs, tables and queues; n = 120 gives about 5,000 lines.
 * - `cfnTemplate(n)`: a plain CloudFormation template (JSON) with n functions, each with a role,
 *   a policy, a permission, a log group, an event source mapping and a queue, plus API Gateway v1
 *   methods: n = 60 gives about 430 resources.
 */

export function samTemplate(functions = 120): string {
  const out: string[] = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Transform: AWS::Serverless-2016-10-31',
    'Description: generated SAM benchmark template',
    'Parameters:',
    '  Stage:',
    '    Type: String',
    '    Default: dev',
    '  DbPassword:',
    '    Type: String',
    '    NoEcho: true',
    'Globals:',
    '  Function:',
    '    Runtime: nodejs20.x',
    '    Timeout: 10',
    '    MemorySize: 256',
    '    Tracing: Active',
    '    Environment:',
    '      Variables:',
    '        STAGE: !Ref Stage',
    'Resources:',
    '  Api:',
    '    Type: AWS::Serverless::Api',
    '    Properties:',
    '      StageName: prod',
    '      Auth:',
    '        DefaultAuthorizer: Cognito',
    '        Authorizers:',
    '          Cognito:',
    '            UserPoolArn: !GetAtt Pool.Arn',
    '  Pool:',
    '    Type: AWS::Cognito::UserPool',
  ];
  for (let i = 0; i < functions; i++) {
    out.push(
      `  Table${i}:`,
      '    Type: AWS::Serverless::SimpleTable',
      `  Queue${i}:`,
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      '      VisibilityTimeout: 60',
      `  Function${i}:`,
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      `      CodeUri: src/f${i}/`,
      '      Handler: index.handler',
      '      Environment:',
      '        Variables:',
      `          TABLE: !Ref Table${i}`,
      `          QUEUE: !GetAtt Queue${i}.QueueName`,
      "          SECRET: '{{resolve:secretsmanager:db:SecretString:password}}'",
      `          NAME: !Sub "fn-\${Stage}-${i}"`,
      '      Policies:',
      '        - DynamoDBCrudPolicy:',
      `            TableName: !Ref Table${i}`,
      '        - SQSSendMessagePolicy:',
      `            QueueName: !GetAtt Queue${i}.QueueName`,
      '        - Statement:',
      '            - Effect: Allow',
      '              Action: [s3:GetObject, s3:PutObject]',
      `              Resource: !Sub "arn:\${AWS::Partition}:s3:::bucket-${i}/*"`,
      '      Events:',
      '        Get:',
      '          Type: Api',
      '          Properties:',
      '            RestApiId: !Ref Api',
      `            Path: /items${i}/{id}`,
      '            Method: get',
      '        Queue:',
      '          Type: SQS',
      '          Properties:',
      `            Queue: !GetAtt Queue${i}.Arn`,
      '            BatchSize: 10',
    );
  }
  return `${out.join('\n')}\n`;
}

export function cfnTemplate(functions = 60): string {
  const res: Record<string, unknown> = {
    RestApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'bench', EndpointConfiguration: { Types: ['REGIONAL'] } } },
    Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'RestApi' }, StageName: 'prod', TracingEnabled: true } },
  };
  for (let i = 0; i < functions; i++) {
    res[`Role${i}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
      },
    };
    res[`Policy${i}`] = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: `p${i}`,
        Roles: [{ Ref: `Role${i}` }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: { 'Fn::GetAtt': [`Queue${i}`, 'Arn'] } },
          ],
        },
      },
    };
    res[`Fn${i}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: `fn-${i}`,
        Runtime: 'python3.12',
        Handler: 'app.handler',
        Role: { 'Fn::GetAtt': [`Role${i}`, 'Arn'] },
        Code: { S3Bucket: 'artifacts', S3Key: `fn${i}.zip` },
        Environment: { Variables: { QUEUE: { Ref: `Queue${i}` }, MODE: 'bench' } },
      },
    };
    res[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } };
    res[`Mapping${i}`] = {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { FunctionName: { Ref: `Fn${i}` }, EventSourceArn: { 'Fn::GetAtt': [`Queue${i}`, 'Arn'] } },
    };
    res[`Logs${i}`] = { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/aws/lambda/fn-${i}`, RetentionInDays: 30 } };
    res[`Res${i}`] = {
      Type: 'AWS::ApiGateway::Resource',
      Properties: { RestApiId: { Ref: 'RestApi' }, ParentId: { 'Fn::GetAtt': ['RestApi', 'RootResourceId'] }, PathPart: `r${i}` },
    };
    res[`Method${i}`] = {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'RestApi' },
        ResourceId: { Ref: `Res${i}` },
        HttpMethod: 'GET',
        AuthorizationType: 'AWS_IAM',
        Integration: {
          Type: 'AWS_PROXY',
          Uri: { 'Fn::Sub': `arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn${i}.Arn}/invocations` },
        },
      },
    };
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: res }, null, 2);
}
