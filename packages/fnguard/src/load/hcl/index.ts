/** HCL2 parsing (native and JSON syntax) with positions. */
export type * from './ast.js';
export { exprText, HCL_DEFAULT_LIMITS, type HclLimits, parseHcl, parseTemplateString } from './parseHcl.js';
export { parseHclJson } from './parseHclJson.js';
