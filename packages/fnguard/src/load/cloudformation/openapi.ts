/**
 * Inline OpenAPI / Swagger definitions of REST and HTTP APIs (`AWS::ApiGateway::RestApi.Body`,
 * `AWS::Serverless::Api.DefinitionBody`, `AWS::ApiGatewayV2::Api.Body`): each operation's method,
 * path, Lambda integration and authorization (from `security` and the security schemes with
 * their `x-amazon-apigateway-authtype` / `x-amazon-apigateway-authorizer` extensions).
 * Definitions that are not literal (`Fn::Transform` includes, `DefinitionUri`) are not read.
 */
import type { AuthType, TriggerAuth, Where } from '../../model/types.js';
import type { Builder } from './builder.js';
import { intrinsicName, isObj, type Obj } from './intrinsics.js';

export interface OpenApiOperation {
  method: string;
  path: string;
  auth: TriggerAuth;
  /** `x-amazon-apigateway-integration.uri` as written (may be an intrinsic). */
  uri: unknown;
  where: Where;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method']);

function schemeType(s: unknown): { type: AuthType; apiKey?: boolean } {
  if (!isObj(s)) return { type: 'unknown' };
  const authtype =
    typeof s['x-amazon-apigateway-authtype'] === 'string' ? (s['x-amazon-apigateway-authtype'] as string).toLowerCase() : undefined;
  const authorizer = isObj(s['x-amazon-apigateway-authorizer']) ? s['x-amazon-apigateway-authorizer'] : undefined;
  const azType = typeof authorizer?.type === 'string' ? authorizer.type.toLowerCase() : undefined;
  if (authtype === 'awssigv4') return { type: 'iam' };
  if (authtype === 'cognito_user_pools' || azType === 'cognito_user_pools') return { type: 'cognito' };
  if (azType === 'jwt') return { type: 'jwt' };
  if (azType === 'token' || azType === 'request' || authtype === 'custom') return { type: 'lambda' };
  if (s.type === 'apiKey') return { type: 'api-key', apiKey: true };
  if (s.type === 'oauth2' || s.type === 'openIdConnect') return { type: 'jwt' };
  return { type: 'unknown' };
}

function authOf(security: unknown, schemes: Obj, where: Where): TriggerAuth {
  if (security === undefined || (Array.isArray(security) && security.length === 0)) return { type: 'none', where };
  if (!Array.isArray(security)) return { type: 'unknown', where };
  // alternatives (OR): the weakest one decides who gets in
  let best: TriggerAuth | undefined;
  for (const req of security) {
    if (!isObj(req)) return { type: 'unknown', where };
    const names = Object.keys(req);
    if (names.length === 0) return { type: 'none', where }; // `{}` = anonymous allowed
    let type: AuthType = 'api-key';
    let authorizer: string | undefined;
    let apiKey = false;
    for (const n of names) {
      const st = schemeType(schemes[n]);
      if (st.apiKey) apiKey = true;
      else {
        type = st.type;
        authorizer = n;
      }
    }
    const auth: TriggerAuth = { type: apiKey && !authorizer ? 'api-key' : type, where };
    if (authorizer) auth.authorizer = authorizer;
    if (apiKey) auth.apiKeyRequired = true;
    if (!best || rank(auth) < rank(best)) best = auth;
  }
  return best ?? { type: 'unknown', where };
}

function rank(a: TriggerAuth): number {
  return a.type === 'none' ? 0 : a.type === 'api-key' ? 1 : a.type === 'unknown' ? 2 : 3;
}

/** The operations of a literal OpenAPI body, or undefined when it is not readable. */
export function readOpenApi(b: Builder, body: unknown, path: string): OpenApiOperation[] | undefined {
  if (!isObj(body) || intrinsicName(body) || !isObj(body.paths)) return undefined;
  const components = isObj(body.components) ? body.components : {};
  const schemes: Obj = isObj(components.securitySchemes)
    ? components.securitySchemes
    : isObj(body.securityDefinitions)
      ? body.securityDefinitions
      : {};
  const ops: OpenApiOperation[] = [];
  const paths = body.paths;
  for (const [p, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const [m, op] of Object.entries(item)) {
      if (!METHODS.has(m.toLowerCase()) || !isObj(op)) continue;
      const where: Where = { ...b.t.pos.atKey(item, m), path: `${path}.paths.${p}.${m}` };
      const integ = isObj(op['x-amazon-apigateway-integration']) ? op['x-amazon-apigateway-integration'] : undefined;
      ops.push({
        method: m === 'x-amazon-apigateway-any-method' ? 'ANY' : m.toUpperCase(),
        path: p,
        auth: authOf(op.security ?? body.security, schemes, where),
        uri: integ?.uri,
        where,
      });
    }
  }
  return ops;
}

/** The operation matching a route (method ANY matches any). */
export function findOperation(
  ops: OpenApiOperation[] | undefined,
  method: string | undefined,
  path: string | undefined,
): OpenApiOperation | undefined {
  if (!ops || path === undefined) return undefined;
  const m = (method ?? 'ANY').toUpperCase();
  return ops.find((o) => o.path === path && o.method === m) ?? ops.find((o) => o.path === path && (o.method === 'ANY' || m === 'ANY'));
}
