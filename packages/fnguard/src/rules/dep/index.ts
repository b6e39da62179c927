import type { Rule } from '../defineRule.js';

/** The DEP family. Each rule lives in its own file named after its id. */
export const depRules: Rule[] = [];
