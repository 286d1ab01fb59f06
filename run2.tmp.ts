import { readConfigPath } from './src/inputs/config';
import { postureProblems } from './src/posture/validate';
(async () => { const ps = await readConfigPath(process.argv[2]); for (const p of ps) { console.log(JSON.stringify(p, null, 1)); console.error(p.source, postureProblems(p)); } })().catch((e) => { console.error(e); });
