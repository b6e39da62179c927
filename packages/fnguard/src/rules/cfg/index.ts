import type { Rule } from '../defineRule.js';
import CFG01 from './CFG-01.js';
import CFG02 from './CFG-02.js';
import CFG03 from './CFG-03.js';
import CFG04 from './CFG-04.js';
import CFG05 from './CFG-05.js';
import CFG06 from './CFG-06.js';
import CFG07 from './CFG-07.js';
import CFG08 from './CFG-08.js';
import CFG09 from './CFG-09.js';
import CFG10 from './CFG-10.js';

/** The CFG family (configuration and denial of wallet). Each rule lives in its own file named after its id. */
export const cfgRules: Rule[] = [CFG01, CFG02, CFG03, CFG04, CFG05, CFG06, CFG07, CFG08, CFG09, CFG10];
