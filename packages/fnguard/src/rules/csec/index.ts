import type { Rule } from '../defineRule.js';

/** The CSEC family. Each rule lives in its own file named after its id. */
export const csecRules: Rule[] = [];
