import fs from 'fs';
import path from 'path';
import { App, TerraformStack } from 'cdktf';
import { SescheckChecks } from '../src/cdktf/sescheck-checks';
import { CloudTrailSesDataEventsStack } from './cloudtrail-ses-data-events-stack';
import type { StacksConfig } from './config';
import { SesEventPublishingStack } from './ses-event-publishing-stack';
import { WorkmailAuditLoggingStack } from './workmail-audit-logging-stack';

export interface BuildAppOptions {
  /**
   * Run sescheck's rules at synth (SescheckChecks on every stack): a stack that fails them is not
   * written. Off only for tests that build deliberately broken or partial variants.
   * @default true
   */
  readonly checks?: boolean;
}

/**
 * The app with one stack per configured instance; `outdir` defaults to cdktf.out (or CDKTF_OUTDIR
 * from cdktf-cli).
 */
export function buildApp(config: StacksConfig, outdir?: string, options: BuildAppOptions = {}): App {
  const app = new App({ outdir, stackTraces: false });
  for (const instance of config.sesEventPublishing) new SesEventPublishingStack(app, stackName(instance), instance);
  for (const instance of config.cloudTrailSesDataEvents) new CloudTrailSesDataEventsStack(app, stackName(instance), instance);
  for (const instance of config.workmailAuditLogging) new WorkmailAuditLoggingStack(app, stackName(instance), instance);
  if (options.checks ?? true) SescheckChecks.checkEveryStack(app);
  return app;
}

function stackName(instance: { stackName?: string }): string {
  // parseStacksConfig fills stackName in; a config built by hand must name its stacks.
  if (!instance.stackName) throw new Error('stack instance without stackName: build the configuration with parseStacksConfig');
  return instance.stackName;
}

/**
 * Removes stack folders a previous synth left in the output directory that this app no longer has
 * (a scan of cdktf.out would otherwise check stacks that are gone).
 */
export function removeStaleStacks(app: App): string[] {
  const current = new Set(app.node.children.filter((child) => child instanceof TerraformStack).map((stack) => stack.node.id));
  const stacksDir = path.join(app.outdir, 'stacks');
  if (!fs.existsSync(stacksDir)) return [];
  const stale = fs.readdirSync(stacksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !current.has(entry.name) && fs.existsSync(path.join(stacksDir, entry.name, 'cdk.tf.json')))
    .map((entry) => entry.name);
  for (const name of stale) fs.rmSync(path.join(stacksDir, name), { recursive: true, force: true });
  return stale;
}
