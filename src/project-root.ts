import fs from 'fs';
import path from 'path';
import { SetupError } from './errors';

/** The project root: where package.json, policies/ and build/ live (from src/ or dist/src/). */
export const PROJECT_ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'policies'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new SetupError(`cannot find the sescheck project root above ${start}`);
    dir = parent;
  }
  return dir;
}
