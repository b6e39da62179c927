/**
 * Content-stable fingerprints: sha256 over the rule id, the function id (or resource id) and the
 * rule's `key` (an env var name, a normalized IAM statement, a sink expression...), never line numbers,
 * so a finding keeps its fingerprint when lines move.
 */
import { hash } from 'node:crypto';

export function fingerprint(ruleId: string, fnId: string | null, resource: string | null, key: string, occurrence = 0): string {
  const text = `fnguard/1\0${ruleId}\0${fnId ?? ''}\0${resource ?? ''}\0${key.replace(/\s+/g, ' ').trim()}${occurrence > 0 ? `\0#${occurrence}` : ''}`;
  return hash('sha256', text, 'hex');
}
