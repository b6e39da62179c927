/**
 * Every CLI command, in `fnguard --help` order (alphabetical). A static table, so that the bundled
 * CLI (dist/fnguard-cli.js) needs no directory read at start-up. Adding a file to this folder means
 * adding it here: test/cli/commands.test.ts compares this table with the folder.
 */
import type { Command } from '../command.js';
import { command as db } from './db.js';
import { command as keygen } from './keygen.js';
import { command as policy } from './policy.js';
import { command as rules } from './rules.js';
import { command as scan } from './scan.js';
import { command as shield } from './shield.js';
import { command as sign } from './sign.js';
import { command as verify } from './verify.js';

export const COMMANDS: readonly Command[] = [db, keygen, policy, rules, scan, shield, sign, verify];
