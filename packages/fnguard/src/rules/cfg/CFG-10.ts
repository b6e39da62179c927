import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';

export default defineRule({
  meta: {
    id: 'CFG-10',
    title: 'Shared log group or missing tags obscure per-function accountability',
    severity: 'info',
    category: 'missing-logging',
    cwe: ['CWE-778'],
    sas: 'SAS-5',
    description:
      'Several functions write to one log group (for example the Serverless Framework `provider.logs.lambda.logGroup`), or some functions carry no tags while others in the project do. Investigating an incident then means untangling whose log line is whose, and cost or ownership cannot be traced to a function.',
    remediation: {
      general: 'Give each function its own log group (the default) and tag every function with at least its owner and service.',
      serverless: 'Remove `provider.logs.lambda.logGroup` (or set a group per function) and set `provider.tags` / `functions.<fn>.tags`.',
      cloudformation: 'Set a distinct `LoggingConfig.LogGroup` per function (or none) and `Tags` on every function.',
      sam: 'Set a distinct `LoggingConfig.LogGroup` per function (or none) and `Tags` in `Globals.Function`.',
      terraform: 'Set a distinct `logging_config { log_group = ... }` per function (or none) and `tags` (or provider `default_tags`).',
      cdk: 'Use one `logGroup` per function and `Tags.of(stack).add(...)`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['KICS "Serverless Function Without Tags"', 'Serverless Framework logs.lambda.logGroup'],
    precision: 'medium',
  },
  check(ctx) {
    const fns = awsFunctions(ctx.app);
    const byGroup = new Map<string, typeof fns>();
    for (const fn of fns) {
      const g = fn.logs?.logGroup;
      if (!isKnown(g) || g.length === 0) continue;
      const list = byGroup.get(g) ?? [];
      list.push(fn);
      byGroup.set(g, list);
    }
    for (const [group, list] of byGroup) {
      if (list.length < 2) continue;
      for (const fn of list) {
        const others = list.filter((f) => f !== fn).map((f) => `'${f.name}'`);
        ctx.report({
          fn,
          where: fn.logs?.where ?? fn.where,
          message: `Function '${fn.name}' shares log group '${group}' with ${others.slice(0, 3).join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''}: give each function its own log group.`,
          key: `shared-log-group:${group}`,
        });
      }
    }
    const tagged = fns.filter((f) => f.tags !== undefined && Object.keys(f.tags).length > 0);
    if (tagged.length === 0) return;
    for (const fn of fns) {
      if (fn.tags !== undefined && Object.keys(fn.tags).length > 0) continue;
      ctx.report({
        fn,
        message: `Function '${fn.name}' has no tags while ${tagged.length} other function${tagged.length > 1 ? 's' : ''} in this project ${tagged.length > 1 ? 'are' : 'is'} tagged: tag it with its owner and service.`,
        key: 'untagged',
      });
    }
  },
});
