import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { ORGANIZATION_POLICY } from '../../src/live/organization';
import { AwsContext } from './aws-context';
import { LogBucket } from './log-bucket';
import { StackPropsError, logGroupRetentionDays, namePrefix, retentionDays } from './props';

export interface ScheduledScanProps {
  /** The zip built by `scripts/package-lambda.sh` (dist/ with the policy wasm and production node_modules). */
  readonly lambdaPackage: string;
  /**
   * The role the scan assumes in each account (MemberScanRole creates it).
   * @default 'sescheck-audit'
   */
  readonly memberRoleName?: string;
  /**
   * Regions scanned in each account, or 'all' for each account's enabled regions.
   * @default 'all'
   */
  readonly regions?: string[] | 'all';
  /** Only the accounts under these OUs or roots. @default the whole organization */
  readonly organizationalUnits?: string[];
  /** Accounts left out. @default none */
  readonly excludeAccounts?: string[];
  /**
   * EventBridge Scheduler expression, in UTC.
   * @default 'cron(17 3 * * ? *)' (every night at 03:17)
   */
  readonly schedule?: string;
  /**
   * Accounts scanned at the same time (Distributed Map MaxConcurrency).
   * @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * Accounts whose scan may fail (after retries) before the run fails, in percent.
   * @default 10
   */
  readonly toleratedFailurePercentage?: number;
  /**
   * Days the reports and the logs are kept (35-540).
   * @default 400
   */
  readonly retentionDays?: number;
  /** @default 'sescheck' */
  readonly namePrefix?: string;
  /**
   * Send each account's findings to its own Security Hub (the member roles need the import statement: MemberScanRole securityHubImport).
   * @default false
   */
  readonly importSecurityHub?: boolean;
}

/** Retries of a Lambda task: the service's transient errors, with backoff and jitter. */
export const LAMBDA_RETRY = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 5,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

/**
 * Nightly scans of every account of the organization, on AWS's own services: an EventBridge
 * Scheduler schedule starts a Step Functions state machine; it lists the accounts (a Lambda function
 * with Organizations read access), then a Distributed Map scans each account with the scanner
 * function (bounded concurrency, tolerated failures), which writes JSON and SARIF to the reports
 * bucket and compares with the previous report there; new failing findings are published to SNS.
 */
export class ScheduledScan extends Construct {
  readonly reports: LogBucket;
  readonly topic: SnsTopic;
  readonly scanner: LambdaFunction;
  readonly lister: LambdaFunction;
  readonly scannerRole: IamRole;
  readonly stateMachine: SfnStateMachine;
  readonly schedule: SchedulerSchedule;
  /** The state machine definition (Amazon States Language), as deployed. */
  readonly definition: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ScheduledScanProps) {
    super(scope, id);
    const owner = `ScheduledScan ${id}`;
    const days = retentionDays(owner, props.retentionDays);
    const prefix = namePrefix(owner, props.namePrefix, 'sescheck');
    const memberRoleName = props.memberRoleName ?? 'sescheck-audit';
    const maxConcurrency = props.maxConcurrency ?? 10;
    const tolerated = props.toleratedFailurePercentage ?? 10;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > 10000) throw new StackPropsError(`${owner}: maxConcurrency must be 1-10000, got ${maxConcurrency}`);
    if (!(tolerated >= 0 && tolerated <= 100)) throw new StackPropsError(`${owner}: toleratedFailurePercentage must be 0-100, got ${tolerated}`);
    const aws = new AwsContext(this, 'context');

    this.reports = new LogBucket(this, 'reports', { bucketPrefix: `${prefix}-scan-reports-`, expirationDays: days });
    this.topic = new SnsTopic(this, 'new-findings', { name: `${prefix}-new-findings`, kmsMasterKeyId: 'alias/aws/sns' });

    const lambdaTrust = assumeRolePolicy('lambda.amazonaws.com');
    const logGroup = (name: string, key: string) => new CloudwatchLogGroup(this, key, { name, retentionInDays: logGroupRetentionDays(days) });
    const writeLogs = (group: CloudwatchLogGroup) => ({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${group.arn}:*` });

    const scannerName = `${prefix}-scan-account`;
    const scannerLogs = logGroup(`/aws/lambda/${scannerName}`, 'scanner-logs');
    this.scannerRole = new IamRole(this, 'scanner-role', { name: `${prefix}-scanner`, assumeRolePolicy: lambdaTrust });
    new IamRolePolicy(this, 'scanner-policy', {
      role: this.scannerRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AssumeScanRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:${aws.partition}:iam::*:role/${memberRoleName}` },
          { Sid: 'Reports', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${this.reports.bucket.arn}/sescheck/*` },
          // GetObject of a missing latest.json answers NoSuchKey only with ListBucket; without it, AccessDenied.
          { Sid: 'ReportsList', Effect: 'Allow', Action: 's3:ListBucket', Resource: this.reports.bucket.arn },
          writeLogs(scannerLogs),
        ],
      }),
    });
    const code = { filename: props.lambdaPackage, sourceCodeHash: Fn.filebase64sha256(props.lambdaPackage), runtime: 'nodejs20.x', architectures: ['arm64'] };
    this.scanner = new LambdaFunction(this, 'scanner', {
      ...code,
      functionName: scannerName,
      role: this.scannerRole.arn,
      handler: 'dist/src/lambda/scan-account.handler',
      timeout: 900,
      memorySize: 1024,
      environment: { variables: { REPORT_BUCKET: this.reports.bucket.bucket, REPORT_PREFIX: 'sescheck', NODE_OPTIONS: '--enable-source-maps' } },
      loggingConfig: { logFormat: 'Text', logGroup: scannerLogs.name },
      dependsOn: [scannerLogs],
    });

    const listerName = `${prefix}-list-accounts`;
    const listerLogs = logGroup(`/aws/lambda/${listerName}`, 'lister-logs');
    const listerRole = new IamRole(this, 'lister-role', { name: `${prefix}-list-accounts`, assumeRolePolicy: lambdaTrust });
    const accountLists = `${this.reports.bucket.arn}/sescheck/account-lists/*`;
    new IamRolePolicy(this, 'lister-policy', {
      role: listerRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [ORGANIZATION_POLICY.Statement[0], { Sid: 'AccountList', Effect: 'Allow', Action: 's3:PutObject', Resource: accountLists }, writeLogs(listerLogs)],
      }),
    });
    this.lister = new LambdaFunction(this, 'lister', {
      ...code,
      functionName: listerName,
      role: listerRole.arn,
      handler: 'dist/src/lambda/scan-account.listAccountsHandler',
      timeout: 300,
      memorySize: 512,
      environment: { variables: { REPORT_BUCKET: this.reports.bucket.bucket, REPORT_PREFIX: 'sescheck', NODE_OPTIONS: '--enable-source-maps' } },
      loggingConfig: { logFormat: 'Text', logGroup: listerLogs.name },
      dependsOn: [listerLogs],
    });

    const machineName = `${prefix}-scheduled-scan`;
    this.definition = stateMachineDefinition({
      listerArn: this.lister.arn,
      scannerArn: this.scanner.arn,
      topicArn: this.topic.arn,
      listInput: {
        roleName: memberRoleName,
        regions: props.regions ?? 'all',
        organizationalUnits: props.organizationalUnits ?? [],
        excludeAccounts: props.excludeAccounts ?? [],
        importSecurityHub: props.importSecurityHub ?? false,
      },
      maxConcurrency,
      toleratedFailurePercentage: tolerated,
    });
    const machineLogs = logGroup(`/aws/vendedlogs/states/${machineName}`, 'state-machine-logs');
    const machineRole = new IamRole(this, 'state-machine-role', { name: `${prefix}-scheduled-scan`, assumeRolePolicy: assumeRolePolicy('states.amazonaws.com') });
    const machineArn = aws.arn('states', `stateMachine:${machineName}`);
    new IamRolePolicy(this, 'state-machine-policy', {
      role: machineRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Invoke', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [this.lister.arn, this.scanner.arn, `${this.lister.arn}:*`, `${this.scanner.arn}:*`] },
          { Sid: 'Notify', Effect: 'Allow', Action: 'sns:Publish', Resource: this.topic.arn },
          // The Distributed Map reads its items, the account list, from the reports bucket.
          { Sid: 'AccountList', Effect: 'Allow', Action: 's3:GetObject', Resource: accountLists },
          // The Distributed Map runs each account as a child execution of this state machine.
          { Sid: 'ChildExecutions', Effect: 'Allow', Action: ['states:StartExecution'], Resource: machineArn },
          { Sid: 'ChildExecutionsStatus', Effect: 'Allow', Action: ['states:DescribeExecution', 'states:StopExecution'], Resource: aws.arn('states', `execution:${machineName}/*`) },
          {
            Sid: 'Logs',
            Effect: 'Allow',
            Action: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
            Resource: '*',
          },
        ],
      }),
    });
    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name: machineName,
      roleArn: machineRole.arn,
      type: 'STANDARD',
      definition: JSON.stringify(this.definition),
      loggingConfiguration: { logDestination: `${machineLogs.arn}:*`, level: 'ERROR', includeExecutionData: false },
    });

    const schedulerRole = new IamRole(this, 'scheduler-role', { name: `${prefix}-scan-scheduler`, assumeRolePolicy: assumeRolePolicy('scheduler.amazonaws.com') });
    new IamRolePolicy(this, 'scheduler-policy', {
      role: schedulerRole.id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: this.stateMachine.arn }] }),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: `${prefix}-nightly-scan`,
      scheduleExpression: props.schedule ?? 'cron(17 3 * * ? *)',
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: this.stateMachine.arn, roleArn: schedulerRole.arn, input: '{}', retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 } },
    });
  }
}

function assumeRolePolicy(service: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
}

interface DefinitionProps {
  listerArn: string;
  scannerArn: string;
  topicArn: string;
  listInput: Record<string, unknown>;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
}

/** The state machine: list the accounts, scan each in a Distributed Map, notify per account with new failing findings. */
export function stateMachineDefinition(props: DefinitionProps): Record<string, unknown> {
  return {
    Comment: 'sescheck: scan every account of the organization, notify new failing findings',
    StartAt: 'ListAccounts',
    States: {
      ListAccounts: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        // The list goes to S3 (<prefix>/account-lists/<execution>.json): an inline list would bound
        // the organization by the 256 KB state payload, about 2,000 accounts.
        Parameters: { FunctionName: props.listerArn, Payload: { ...props.listInput, 'executionName.$': '$$.Execution.Name' } },
        ResultSelector: { 'accountList.$': '$.Payload' },
        Retry: [LAMBDA_RETRY],
        Next: 'ScanAccounts',
      },
      ScanAccounts: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.accountList.bucket', 'Key.$': '$.accountList.key' },
        },
        MaxConcurrency: props.maxConcurrency,
        ToleratedFailurePercentage: props.toleratedFailurePercentage,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'ScanAccount',
          States: {
            ScanAccount: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: props.scannerArn, 'Payload.$': '$' },
              ResultSelector: { 'result.$': '$.Payload' },
              Retry: [LAMBDA_RETRY],
              // A scan that fails (or times out) alerts: an account nobody checked must not look clean.
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyScanFailed' }],
              Next: 'NewFailingFindings',
            },
            NewFailingFindings: {
              Type: 'Choice',
              Choices: [
                { Variable: '$.result.notScanned', IsPresent: true, Next: 'NotifyNotScanned' },
                { Variable: '$.result.newFailing', NumericGreaterThan: 0, Next: 'Notify' },
              ],
              Default: 'Done',
            },
            NotifyNotScanned: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sns:publish',
              Parameters: {
                TopicArn: props.topicArn,
                Subject: 'sescheck: an account could not be scanned',
                'Message.$': "States.Format('Account {} could not be scanned, so none of its checks ran: {}', $.result.accountId, $.result.notScanned)",
              },
              Retry: [{ ErrorEquals: ['SNS.SdkClientException', 'States.TaskFailed'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
              Next: 'Done',
            },
            NotifyScanFailed: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sns:publish',
              Parameters: {
                TopicArn: props.topicArn,
                Subject: 'sescheck: an account scan failed',
                'Message.$': "States.Format('The scan of account {} failed, so none of its checks ran: {}', $.accountId, States.JsonToString($.error))",
              },
              Retry: [{ ErrorEquals: ['SNS.SdkClientException', 'States.TaskFailed'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
              Next: 'Done',
            },
            Notify: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sns:publish',
              Parameters: {
                TopicArn: props.topicArn,
                Subject: 'sescheck: new failing findings',
                'Message.$': "States.Format('Account {} has {} new failing finding(s) (report s3 key {}): {}', $.result.accountId, $.result.newFailing, $.result.jsonKey, States.JsonToString($.result.newFailingFindings))",
              },
              Retry: [{ ErrorEquals: ['SNS.SdkClientException', 'States.TaskFailed'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
              Next: 'Done',
            },
            Done: { Type: 'Succeed' },
          },
        },
        // The reports are in the bucket: the map's output would only grow the execution history.
        ResultPath: null,
        End: true,
      },
    },
  };
}
