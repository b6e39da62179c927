export { classifyByName, looksBinary, looksLikeCloudFormation } from './classify.js';
export {
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_MAX_LOCKFILE_SIZE,
  type DiscoverOptions,
  type DiscoverResult,
  discover,
  discoverSync,
} from './discover.js';
export { compileGlob, globMatcher, type IgnoreFile, matchIgnore, parseIgnoreFile, parseIgnorePattern } from './ignore.js';
export type { DiscoveredFile, FileKind } from './types.js';
