import type { Adapter } from '../types.js';

/** terraform adapter (being written: replace this placeholder). */
export const terraformAdapter: Adapter = {
  id: 'terraform',
  select: (files) => files.filter((f) => f.kind === 'iac' && f.subtype === 'terraform'),
  load: async () => ({}),
};
