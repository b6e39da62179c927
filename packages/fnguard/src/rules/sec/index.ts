import type { Rule } from '../defineRule.js';
import SEC01 from './SEC-01.js';
import SEC02 from './SEC-02.js';
import SEC03 from './SEC-03.js';
import SEC04 from './SEC-04.js';
import SEC05 from './SEC-05.js';
import SEC06 from './SEC-06.js';
import SEC07 from './SEC-07.js';
import SEC08 from './SEC-08.js';
import SEC09 from './SEC-09.js';
import SEC10 from './SEC-10.js';

/** The SEC family (secrets and encryption). Each rule lives in its own file named after its id. */
export const secRules: Rule[] = [SEC01, SEC02, SEC03, SEC04, SEC05, SEC06, SEC07, SEC08, SEC09, SEC10];
