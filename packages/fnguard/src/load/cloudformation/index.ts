import type { Adapter } from '../types.js';

/** cloudformation adapter (being written: replace this placeholder). */
export const cloudformationAdapter: Adapter = {
  id: 'cloudformation',
  select: (files) => files.filter((f) => f.kind === 'iac' && f.subtype === 'cloudformation'),
  load: async () => ({}),
};
