import type { Rule } from '../defineRule.js';
import LOG01 from './LOG-01.js';
import LOG02 from './LOG-02.js';
import LOG03 from './LOG-03.js';
import LOG04 from './LOG-04.js';
import LOG05 from './LOG-05.js';
import LOG06 from './LOG-06.js';
import LOG07 from './LOG-07.js';
import LOG08 from './LOG-08.js';
import LOG09 from './LOG-09.js';
import LOG10 from './LOG-10.js';

/** The LOG family (logging and monitoring). Each rule lives in its own file named after its id. */
export const logRules: Rule[] = [LOG01, LOG02, LOG03, LOG04, LOG05, LOG06, LOG07, LOG08, LOG09, LOG10];
