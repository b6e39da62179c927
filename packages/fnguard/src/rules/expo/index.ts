import type { Rule } from '../defineRule.js';
import EXPO01 from './EXPO-01.js';
import EXPO02 from './EXPO-02.js';
import EXPO03 from './EXPO-03.js';
import EXPO04 from './EXPO-04.js';
import EXPO05 from './EXPO-05.js';
import EXPO06 from './EXPO-06.js';
import EXPO07 from './EXPO-07.js';
import EXPO08 from './EXPO-08.js';
import EXPO09 from './EXPO-09.js';
import EXPO10 from './EXPO-10.js';
import EXPO11 from './EXPO-11.js';
import EXPO12 from './EXPO-12.js';
import EXPO13 from './EXPO-13.js';

/** The EXPO family (exposure and authentication of triggers). Each rule lives in its own file named after its id. */
export const expoRules: Rule[] = [EXPO01, EXPO02, EXPO03, EXPO04, EXPO05, EXPO06, EXPO07, EXPO08, EXPO09, EXPO10, EXPO11, EXPO12, EXPO13];
