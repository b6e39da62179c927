import type { Rule } from '../defineRule.js';

/** The PERM family. Each rule lives in its own file named after its id. */
export const permRules: Rule[] = [];
