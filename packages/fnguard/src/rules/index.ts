/** Every rule, registered by family. */

import { cfgRules } from './cfg/index.js';
import { csecRules } from './csec/index.js';
import type { Rule } from './defineRule.js';
import { depRules } from './dep/index.js';
import { expoRules } from './expo/index.js';
import { gcpRules } from './gcp/index.js';
import { injRules } from './inj/index.js';
import { logRules } from './log/index.js';
import { othRules } from './oth/index.js';
import { permRules } from './perm/index.js';
import { secRules } from './sec/index.js';
import { supRules } from './sup/index.js';

export const allRules: Rule[] = [
  ...permRules,
  ...expoRules,
  ...cfgRules,
  ...logRules,
  ...secRules,
  ...supRules,
  ...gcpRules,
  ...injRules,
  ...csecRules,
  ...othRules,
  ...depRules,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
