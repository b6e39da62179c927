import type { Rule } from '../defineRule.js';

/** The OTH family. Each rule lives in its own file named after its id. */
export const othRules: Rule[] = [];
