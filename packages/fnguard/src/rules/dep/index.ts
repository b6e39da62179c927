import type { Rule } from '../defineRule.js';
import DEP01 from './DEP-01.js';
import DEP02 from './DEP-02.js';
import DEP03 from './DEP-03.js';
import DEP04 from './DEP-04.js';
import DEP05 from './DEP-05.js';
import DEP06 from './DEP-06.js';

/** The DEP family. Each rule lives in its own file named after its id. */
export const depRules: Rule[] = [DEP01, DEP02, DEP03, DEP04, DEP05, DEP06];
