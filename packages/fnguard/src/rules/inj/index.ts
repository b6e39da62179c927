import type { Rule } from '../defineRule.js';

/** The INJ family. Each rule lives in its own file named after its id. */
export const injRules: Rule[] = [];
