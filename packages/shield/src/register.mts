// ESM entry: `node --import @fnguard/shield/register` or `import '@fnguard/shield/register'` as a first line.
// It loads the same CommonJS instance as `--require`, so the shield is installed once per process.
import './register.cjs';
