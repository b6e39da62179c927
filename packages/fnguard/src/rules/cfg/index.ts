import type { Rule } from '../defineRule.js';

/** The CFG family. Each rule lives in its own file named after its id. */
export const cfgRules: Rule[] = [];
