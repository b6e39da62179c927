/** JSON-with-positions parser: see parseJson.ts. */
export { parseJson } from './parseJson.js';
