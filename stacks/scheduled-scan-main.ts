import { App } from 'cdktf';
import { StackPropsError } from './constructs/props';
import { MemberScanRoleStack, ScheduledScanStack } from './scheduled-scan-stack';

/**
 * The scheduled organization scan's app (`cdktf deploy --app "npx tsx stacks/scheduled-scan-main.ts"`),
 * configured from the environment (docs/stacks.md):
 *   SESCHECK_SCAN_REGION       region of the scan stack (default us-east-1)
 *   SESCHECK_LAMBDA_PACKAGE    the zip of scripts/package-lambda.sh (default build/lambda.zip)
 *   SESCHECK_SCAN_REGIONS      regions scanned in each account, comma-separated (default: each account's enabled regions)
 *   SESCHECK_MEMBER_ROLE       the role assumed in each account (default sescheck-audit)
 *   SESCHECK_SECURITY_HUB_IMPORT  true: findings to each account's Security Hub (and the import statement in the member role)
 *   SESCHECK_SCANNER_ROLE_ARN  set to synthesize the member role stack instead, trusting this scanner role
 */
export function buildScheduledScanApp(env: NodeJS.ProcessEnv, outdir?: string): App {
  const app = new App({ outdir, stackTraces: false });
  const region = env.SESCHECK_SCAN_REGION ?? 'us-east-1';
  const roleName = env.SESCHECK_MEMBER_ROLE ?? 'sescheck-audit';
  if (env.SESCHECK_SCANNER_ROLE_ARN) {
    new MemberScanRoleStack(app, 'sescheck-member-scan-role', {
      region, roleName, scannerRoleArn: env.SESCHECK_SCANNER_ROLE_ARN, securityHubImport: env.SESCHECK_SECURITY_HUB_IMPORT === 'true',
    });
  } else {
    const regions = env.SESCHECK_SCAN_REGIONS ? env.SESCHECK_SCAN_REGIONS.split(',').map((r) => r.trim()).filter(Boolean) : 'all';
    new ScheduledScanStack(app, 'sescheck-scheduled-scan', {
      region, lambdaPackage: env.SESCHECK_LAMBDA_PACKAGE ?? 'build/lambda.zip', memberRoleName: roleName, regions, importSecurityHub: env.SESCHECK_SECURITY_HUB_IMPORT === 'true',
    });
  }
  return app;
}

if (require.main === module) {
  try {
    buildScheduledScanApp(process.env).synth();
  } catch (error) {
    if (!(error instanceof StackPropsError)) throw error;
    console.error(`sescheck stacks: ${error.message}`);
    process.exitCode = 2;
  }
}
