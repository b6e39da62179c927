// The Node to run child processes with: the one running npm (`npm_node_execpath`), not the `node` that
// the node22 test runtime (a devDependency) links into node_modules/.bin, which npm puts first on PATH.
const viaNpm = process.env.npm_node_execpath;
export const nodeBin = viaNpm && /node[^/]*$/.test(viaNpm) ? viaNpm : process.execPath;
