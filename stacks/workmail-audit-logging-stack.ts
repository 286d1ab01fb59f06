import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { WorkmailAuditLoggingStackConfig } from './config';
import { WorkmailAuditLogging } from './constructs/workmail-audit-logging';
import { awsProvider } from './provider';

/** WorkMail audit log delivery (seed 004) for one organization, in the organization's region. */
export class WorkmailAuditLoggingStack extends TerraformStack {
  readonly auditLogging: WorkmailAuditLogging;

  constructor(scope: Construct, id: string, config: WorkmailAuditLoggingStackConfig) {
    super(scope, id);
    awsProvider(this, config);
    this.auditLogging = new WorkmailAuditLogging(this, 'workmail-audit-logging', config);
    new TerraformOutput(this, 'delivery_destination_arn', { value: this.auditLogging.deliveryDestination.arn });
  }
}
