import type { Rule } from '../defineRule.js';
import SUP01 from './SUP-01.js';
import SUP02 from './SUP-02.js';
import SUP03 from './SUP-03.js';
import SUP04 from './SUP-04.js';
import SUP05 from './SUP-05.js';
import SUP06 from './SUP-06.js';
import SUP07 from './SUP-07.js';
import SUP08 from './SUP-08.js';

/** The SUP family (supply chain). Each rule lives in its own file named after its id. */
export const supRules: Rule[] = [SUP01, SUP02, SUP03, SUP04, SUP05, SUP06, SUP07, SUP08];
