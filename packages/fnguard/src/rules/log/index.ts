import type { Rule } from '../defineRule.js';

/** The LOG family. Each rule lives in its own file named after its id. */
export const logRules: Rule[] = [];
