/**
 * Writes the reference setup's Terraform JSON to test/fixtures/terraform/differential/main.tf.json
 * (then `scripts/fixtures/regen-plan-fixtures.sh differential` plans it):
 *   npx tsx test/posture/differential/write-config.ts
 */
import fs from 'fs';
import path from 'path';
import { REFERENCE_SETUP } from './reference-setup';
import { terraformJsonText } from './terraform';

export const CONFIG_FILE = path.resolve(__dirname, '..', '..', 'fixtures', 'terraform', 'differential', 'main.tf.json');

if (require.main === module) {
  fs.mkdirSync(path.dirname(CONFIG_FILE), { recursive: true });
  fs.writeFileSync(CONFIG_FILE, terraformJsonText(REFERENCE_SETUP));
  console.log(`wrote ${path.relative(process.cwd(), CONFIG_FILE)}`);
}
