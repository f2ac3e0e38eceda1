import { mkdirSync, renameSync, rmSync, statSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Options } from 'tsup';
import config from '../../tsup.config.js';

const root = resolve(import.meta.dirname, '../..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the `purpose-guard` bin with the project's own tsup configuration
 * (its `cli` entry: ESM, shebang banner) into a private directory, so another
 * build cleaning `dist/` meanwhile cannot pull it away from under the tests.
 * Rebuilt only when a source file is newer. Returns the path of `cli.js`.
 */
export async function builtCli(): Promise<string> {
  const outDir = join(root, '.tmp', 'cli-bin');
  const target = join(outDir, 'cli.js');
  const sources = Math.max(newestSource(join(root, 'src')), statSync(join(root, 'tsup.config.ts')).mtimeMs);
  if (existsSync(target) && statSync(target).mtimeMs > sources) return target;
  const configs = (Array.isArray(config) ? config : [config]) as Options[];
  const cli = configs.find((c) => typeof c.entry === 'object' && c.entry !== null && 'cli' in c.entry);
  if (cli === undefined) throw new Error('tsup.config.ts has no cli entry');
  // Build beside the target and rename: a parallel reader never sees a half-written file.
  const staging = join(root, '.tmp', `cli-bin-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  await build({ ...cli, outDir: staging, clean: false, silent: true, config: false });
  mkdirSync(outDir, { recursive: true });
  renameSync(join(staging, 'cli.js'), target);
  rmSync(staging, { recursive: true, force: true });
  return target;
}
