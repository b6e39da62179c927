import type { Rule } from '../defineRule.js';

/** The GCP family. Each rule lives in its own file named after its id. */
export const gcpRules: Rule[] = [];
