/** Shared YAML-with-positions loader: see parseYaml.ts (API) and positions.ts (PositionMap). */
export {
  CFN_TAGS,
  DEFAULT_LIMITS,
  flowDepthExceeds,
  lineCol,
  type ParseLimits,
  type ParseResult,
  parseYaml,
  type YamlOptions,
} from './parseYaml.js';
export { type NodeInfo, PositionMap } from './positions.js';
