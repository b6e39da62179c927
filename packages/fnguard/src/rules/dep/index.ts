import type { Rule } from '../defineRule.js';
import DEP01 from './DEP-01.js';
import DEP02 from './DEP-02.js';
import DEP03 from './DEP-03.js';

/** The DEP family. Each rule lives in its own file named after its id. */
export const depRules: Rule[] = [DEP01, DEP02, DEP03];
