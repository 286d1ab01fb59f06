import fs from 'fs';
import path from 'path';
import { PROJECT_ROOT } from '../engine/bundle';

/** sescheck's version, from package.json (shown by --version and in every report). */
export const TOOL_VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
