import type { Rule } from '../defineRule.js';
import PERM01 from './PERM-01.js';
import PERM02 from './PERM-02.js';
import PERM03 from './PERM-03.js';
import PERM04 from './PERM-04.js';
import PERM05 from './PERM-05.js';
import PERM06 from './PERM-06.js';
import PERM07 from './PERM-07.js';
import PERM08 from './PERM-08.js';
import PERM09 from './PERM-09.js';
import PERM10 from './PERM-10.js';
import PERM11 from './PERM-11.js';
import PERM12 from './PERM-12.js';

/** The PERM family (execution-role permissions). Each rule lives in its own file named after its id. */
export const permRules: Rule[] = [PERM01, PERM02, PERM03, PERM04, PERM05, PERM06, PERM07, PERM08, PERM09, PERM10, PERM11, PERM12];
