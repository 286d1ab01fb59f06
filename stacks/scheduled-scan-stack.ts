import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { StackPlacement } from './config';
import { MemberScanRole, type MemberScanRoleProps } from './constructs/member-scan-role';
import { ScheduledScan, type ScheduledScanProps } from './constructs/scheduled-scan';
import { awsProvider } from './provider';

/** The scheduled organization scan, deployed in the management or delegated administrator account. */
export class ScheduledScanStack extends TerraformStack {
  readonly scan: ScheduledScan;

  constructor(scope: Construct, id: string, config: StackPlacement & ScheduledScanProps) {
    super(scope, id);
    awsProvider(this, config);
    this.scan = new ScheduledScan(this, 'scheduled-scan', config);
    new TerraformOutput(this, 'scanner_role_arn', { value: this.scan.scannerRole.arn });
    new TerraformOutput(this, 'reports_bucket', { value: this.scan.reports.bucket.bucket });
    new TerraformOutput(this, 'new_findings_topic_arn', { value: this.scan.topic.arn });
    new TerraformOutput(this, 'state_machine_arn', { value: this.scan.stateMachine.arn });
  }
}

/** The scan role of one member account (deploy it in each, or as a StackSet from the generated JSON). */
export class MemberScanRoleStack extends TerraformStack {
  readonly role: MemberScanRole;

  constructor(scope: Construct, id: string, config: StackPlacement & MemberScanRoleProps) {
    super(scope, id);
    awsProvider(this, config);
    this.role = new MemberScanRole(this, 'member-scan-role', config);
    new TerraformOutput(this, 'role_arn', { value: this.role.role.arn });
  }
}
