import type { Adapter } from '../types.js';

/** serverless adapter (being written: replace this placeholder). */
export const serverlessAdapter: Adapter = {
  id: 'serverless',
  select: (files) => files.filter((f) => f.kind === 'iac' && f.subtype === 'serverless'),
  load: async () => ({}),
};
