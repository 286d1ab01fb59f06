import { readPlanFile } from './src/inputs/plan';
import { postureProblems } from './src/posture/validate';
(async () => { const p = await readPlanFile(process.argv[2]); console.log(JSON.stringify(p, null, 1)); console.error(postureProblems(p)); })().catch((e) => { console.error(e); });
