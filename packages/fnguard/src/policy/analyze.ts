/**
 * Least-privilege analysis of every function: detected SDK calls -> needed permissions (code and
 * configuration) -> minimal policy -> comparison with the granted role. Exposed as the `policy`
 * analyzer (facts for PERM-11) and used by `fnguard policy`.
 */
import { codeAnalyzer } from '../analyze/code/index.js';
import type { CodeFacts, FunctionCode, ParsedModule } from '../analyze/code/types.js';
import { defineAnalyzer } from '../analyze/types.js';
import type { App, Fn, Identity } from '../model/types.js';
import { RefIndex } from './arn.js';
import { operationsTable } from './catalog.js';
import { type Comparison, compare, hiddenGrants } from './compare.js';
import { configNeeds } from './config.js';
import { type Detection, detectModules, type SdkCall, type UnmodelledCall } from './detect.js';
import { type GeneratedPolicy, generatePolicy } from './generate.js';
import { type Need, needsOfCall } from './needs.js';

/**
 * - `analysed`: the whole code was found and every SDK use understood;
 * - `partial`: code found, but something may be missing (unresolved imports, SDK uses fnguard
 *   cannot follow): the needed set may be incomplete, so excess is not reported as a finding;
 * - `no-code`: the code was not found (or is not JS/TS).
 */
export type AnalysisStatus = 'analysed' | 'partial' | 'no-code';

export interface FunctionPolicy {
  fn: Fn;
  status: AnalysisStatus;
  /** Why the analysis is partial / absent. */
  reasons: string[];
  calls: SdkCall[];
  unmodelled: UnmodelledCall[];
  needs: Need[];
  policy: GeneratedPolicy;
  identity?: Identity;
  /** Other functions sharing the role. */
  sharedWith: string[];
  comparison?: Comparison;
}

export interface PolicyFacts {
  byFunction: Map<string, FunctionPolicy>;
  index: RefIndex;
}

/** Packages that call AWS on the function's behalf without fnguard modelling them. */
const UNMODELLED_AWS_PACKAGES = [
  /^dynamoose$/,
  /^electrodb$/,
  /^dynamodb-toolbox$/,
  /^@middy\/(ssm|secrets-manager|sqs-partial-batch-failure|s3-object-response|sts|rds-signer|appconfig|dynamodb|cloudwatch-metrics|service-discovery)$/,
  /^aws-embedded-metrics$/,
  /^@aws-lambda-powertools\/(parameters|idempotency|batch)$/,
  // signing raw HTTP requests: the calls are invisible to the SDK detector
  /^aws4(fetch)?$/,
  /^@(smithy|aws-sdk)\/signature-v4$/,
];

function modelledPackages(): Set<string> {
  const t = operationsTable();
  const out = new Set<string>([t.documentClient.v3, '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner', '@aws-sdk/s3-presigned-post']);
  for (const s of Object.values(t.services)) out.add(s.v3);
  return out;
}

/** SDK packages with no model (clients of services outside the table, wrapper libraries). */
function unmodelledPackages(code: FunctionCode): string[] {
  const modelled = modelledPackages();
  const wrappers = new Set(Object.keys(operationsTable().wrappers));
  const out = new Set<string>();
  for (const p of code.packages) {
    if (wrappers.has(p.specifier)) continue;
    const isSdk = p.name.startsWith('@aws-sdk/client-') || p.name.startsWith('@aws-sdk/lib-');
    if (isSdk && !modelled.has(p.name)) out.add(p.name);
    else if (UNMODELLED_AWS_PACKAGES.some((re) => re.test(p.name)) && !wrappers.has(p.specifier)) out.add(p.specifier);
  }
  return [...out].sort();
}

/** Analyse one function. */
export interface AnalyzeOptions {
  /** Compare with the granted role also when the code was not (fully) analysed (default true; `fnguard policy` shows it, PERM-11 never reads it). */
  compareUnanalysed?: boolean;
}

export function analyzeFunction(app: App, code: CodeFacts, fn: Fn, index: RefIndex, options: AnalyzeOptions = {}): FunctionPolicy {
  const reasons: string[] = [];
  const fc = code.byFunction.get(fn.id);
  const calls: SdkCall[] = [];
  const unmodelled: UnmodelledCall[] = [];
  let status: AnalysisStatus = 'analysed';
  if (!fc || !fc.entryFile) {
    status = 'no-code';
    reasons.push(fc?.missingReason ?? 'the function code is not JavaScript/TypeScript or was not found');
  } else {
    const mods: ParsedModule[] = [];
    for (const file of fc.files) {
      const mod = code.module(file);
      if (!mod) {
        status = 'partial';
        reasons.push(`${file} could not be parsed`);
        continue;
      }
      mods.push(mod);
    }
    const resolve = (file: string, spec: string) => code.imports?.(file).find((i) => i.specifier === spec)?.file;
    const d: Detection = detectModules(mods, resolve);
    calls.push(...d.calls);
    unmodelled.push(...d.unmodelled);
    if (fc.unresolved.length > 0) {
      status = 'partial';
      reasons.push(`local imports not found: ${fc.unresolved.map((u) => u.specifier).join(', ')}`);
    }
    if (unmodelled.length > 0) {
      status = 'partial';
      reasons.push(`${unmodelled.length} AWS SDK use(s) fnguard cannot follow`);
    }
    if (fn.layers.length > 0) {
      status = 'partial';
      reasons.push("layers and extensions run with the function's role and are not analysed");
    }
    const pk = unmodelledPackages(fc);
    if (pk.length > 0) {
      status = 'partial';
      reasons.push(`AWS packages without a model: ${pk.join(', ')}`);
    }
  }
  const identity = fn.identity ? app.identities.find((i) => i.id === fn.identity) : undefined;
  if (status === 'no-code' && options.compareUnanalysed === false) {
    // the scan's reader (PERM-11) never reads a function without code: no needs, no comparison
    return {
      fn,
      status,
      reasons,
      calls,
      unmodelled,
      needs: [],
      policy: { statements: [] },
      sharedWith: [],
      ...(identity ? { identity } : {}),
    };
  }
  const ctx = { fn, index };
  const needs: Need[] = [...configNeeds(ctx)];
  for (const c of calls) needs.push(...needsOfCall(c, ctx));
  if (needs.some((n) => !n.verified)) reasons.push('some actions are not in the IAM catalogue (unverified)');
  const out: FunctionPolicy = {
    fn,
    status,
    reasons,
    calls,
    unmodelled,
    needs,
    policy: generatePolicy(needs),
    sharedWith: identity
      ? app.functions.filter((f) => f.id !== fn.id && (f.identity === identity.id || identity.usedBy.includes(f.id))).map((f) => f.id)
      : [],
  };
  if (identity) out.identity = identity;
  const wanted = status === 'analysed' || options.compareUnanalysed !== false;
  if (identity && identity.provider === 'aws' && !identity.external && wanted) {
    out.comparison = compare(needs, identity, fn.format, index);
    const hidden = hiddenGrants(identity);
    if (hidden.length > 0)
      reasons.push(`policies whose documents fnguard does not have (gaps are reported undecided): ${hidden.join(', ')}`);
  } else if (identity?.external) reasons.push('the role is defined outside the project: its permissions are unknown');
  return out;
}

/** Analyse every AWS function of the App. */
export function analyzePolicies(app: App, code: CodeFacts, options: AnalyzeOptions = {}): PolicyFacts {
  const index = new RefIndex(app);
  const byFunction = new Map<string, FunctionPolicy>();
  for (const fn of app.functions) {
    if (fn.provider !== 'aws') continue;
    try {
      byFunction.set(fn.id, analyzeFunction(app, code, fn, index, options));
    } catch (e) {
      // one function's odd input never stops the others; without a complete analysis nothing is claimed
      byFunction.set(fn.id, {
        fn,
        status: 'partial',
        reasons: [`analysis failed: ${(e as Error)?.message ?? e}`],
        calls: [],
        unmodelled: [],
        needs: [],
        policy: { statements: [] },
        sharedWith: [],
      });
    }
  }
  return { byFunction, index };
}

export const policyAnalyzer = defineAnalyzer<PolicyFacts>({
  id: 'policy',
  async run(input) {
    const code = await input.fact(codeAnalyzer);
    // the scan's reader (PERM-11) only reads fully analysed functions: skip the rest's role comparison
    return analyzePolicies(input.app, code, { compareUnanalysed: false });
  },
});
