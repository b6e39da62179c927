/** `--format json`: the Result as is (schemaVersion 1, docs/json-contract.md). */
import type { Result } from '../engine/types.js';

export function formatJson(result: Result): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
