import type { Rule } from '../defineRule.js';
import INJ01 from './INJ-01.js';
import INJ02 from './INJ-02.js';
import INJ03 from './INJ-03.js';
import INJ04 from './INJ-04.js';
import INJ05 from './INJ-05.js';
import INJ06 from './INJ-06.js';
import INJ07 from './INJ-07.js';
import INJ08 from './INJ-08.js';
import INJ09 from './INJ-09.js';
import INJ10 from './INJ-10.js';
import INJ11 from './INJ-11.js';
import INJ12 from './INJ-12.js';
import INJ15 from './INJ-15.js';
import INJ16 from './INJ-16.js';

/** The INJ family: injection from the event (taint rules over JS/TS code). Each rule lives in its own file named after its id. */
export const injRules: Rule[] = [INJ01, INJ02, INJ03, INJ04, INJ05, INJ06, INJ07, INJ08, INJ09, INJ10, INJ11, INJ12, INJ15, INJ16];
