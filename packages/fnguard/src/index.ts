export * from './model/types.js';
export * from './engine/types.js';
export * from './rules/defineRule.js';
export type { Analyzer, AnalyzerInput, ScanOptions } from './analyze/types.js';
export { defineAnalyzer } from './analyze/types.js';
export type { DiscoveredFile, FileKind } from './discover/types.js';
export type { Adapter, LoadContext } from './load/types.js';
export { runRules } from './engine/runRules.js';
export { allRules, ruleById } from './rules/index.js';
