import type { Rule } from '../defineRule.js';

/** The SUP family. Each rule lives in its own file named after its id. */
export const supRules: Rule[] = [];
