import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { READ_ONLY_POLICY } from '../../src/live/iam-policy';
import { SECURITY_HUB_IMPORT_STATEMENT } from '../../src/live/security-hub';
import { StackPropsError } from './props';

export interface MemberScanRoleProps {
  /** The scanner function's role in the management (or delegated administrator) account: the only principal trusted. */
  readonly scannerRoleArn: string;
  /** @default 'sescheck-audit' */
  readonly roleName?: string;
  /**
   * Also allow securityhub:BatchImportFindings (for --import-security-hub: only the account itself may import its findings).
   * @default false
   */
  readonly securityHubImport?: boolean;
}

/** The role the scheduled scan assumes in a member account: exactly the read-only policy `sescheck live` is tested against. */
export class MemberScanRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: MemberScanRoleProps) {
    super(scope, id);
    if (!/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/.+$/.test(props.scannerRoleArn)) {
      throw new StackPropsError(`MemberScanRole ${id}: scannerRoleArn must be an IAM role ARN, got "${props.scannerRoleArn}"`);
    }
    this.role = new IamRole(this, 'role', {
      name: props.roleName ?? 'sescheck-audit',
      description: 'sescheck: read-only scan of the SES and WorkMail logging setup',
      maxSessionDuration: 3600,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: props.scannerRoleArn }, Action: 'sts:AssumeRole' }],
      }),
    });
    new IamRolePolicy(this, 'read-only', { role: this.role.id, name: 'sescheck-live-read-only', policy: JSON.stringify(READ_ONLY_POLICY) });
    if (props.securityHubImport) {
      new IamRolePolicy(this, 'security-hub-import', {
        role: this.role.id,
        name: 'sescheck-security-hub-import',
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [SECURITY_HUB_IMPORT_STATEMENT] }),
      });
    }
  }
}
