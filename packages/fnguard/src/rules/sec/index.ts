import type { Rule } from '../defineRule.js';

/** The SEC family. Each rule lives in its own file named after its id. */
export const secRules: Rule[] = [];
