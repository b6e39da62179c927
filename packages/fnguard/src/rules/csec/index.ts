import type { Rule } from '../defineRule.js';
import CSEC01 from './CSEC-01.js';
import CSEC02 from './CSEC-02.js';
import CSEC03 from './CSEC-03.js';
import CSEC04 from './CSEC-04.js';
import CSEC05 from './CSEC-05.js';
import CSEC06 from './CSEC-06.js';
import CSEC07 from './CSEC-07.js';
import CSEC08 from './CSEC-08.js';

/** The CSEC family (secrets in code and config files). Each rule lives in its own file named after its id. */
export const csecRules: Rule[] = [CSEC01, CSEC02, CSEC03, CSEC04, CSEC05, CSEC06, CSEC07, CSEC08];
