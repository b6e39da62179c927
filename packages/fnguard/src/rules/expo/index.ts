import type { Rule } from '../defineRule.js';

/** The EXPO family. Each rule lives in its own file named after its id. */
export const expoRules: Rule[] = [];
