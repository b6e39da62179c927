import type { Rule } from '../defineRule.js';
import OTH01 from './OTH-01.js';
import OTH02 from './OTH-02.js';
import OTH03 from './OTH-03.js';
import OTH14 from './OTH-14.js';

/** The OTH family: other code rules. Each rule lives in its own file named after its id. */
export const othRules: Rule[] = [OTH01, OTH02, OTH03, OTH14];
