import assert from 'assert';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { scanLive, type LiveScanOptions } from '../../src/cli/live';
import { ConfigError, InputError } from '../../src/errors';
import { ORGANIZATION_ACTION_OF_COMMAND, ORGANIZATION_POLICY } from '../../src/live/organization';
import { SECURITY_HUB_IMPORT_STATEMENT } from '../../src/live/security-hub';
import type { Report } from '../../src/results/scan-result';
import { credentials } from './helpers';
import { denyActions } from './deny';
import { startMoto, type MotoServer } from './moto';
import { ACCOUNT, seedReferenceSetup } from './seed';
import { answerMotoGaps } from './supplement';

const ROOT = path.resolve(__dirname, '..', '..');

describe('sescheck live --organization against moto', function () {
  this.timeout(240_000);
  let moto: MotoServer | undefined;
  let dir: string;
  /** Member accounts: one in an OU (nested), one whose role cannot be assumed, one denied by an SCP, one closed. */
  const member: Record<'inOu' | 'noRole' | 'scp' | 'closed', string> = { inOu: '', noRole: '', scp: '', closed: '' };
  let ou = '';

  before(async () => {
    moto = await startMoto();
    await seedReferenceSetup(moto.endpoint);
    const organizations = new OrganizationsClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (const name of Object.keys(member) as (keyof typeof member)[]) {
      const created = await organizations.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
      member[name] = created.CreateAccountStatus?.AccountId as string;
    }
    const root = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id as string;
    ou = (await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: root, Name: 'workloads' }))).OrganizationalUnit?.Id as string;
    const nested = (await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: ou, Name: 'mail' }))).OrganizationalUnit?.Id as string;
    await organizations.send(new MoveAccountCommand({ AccountId: member.inOu, SourceParentId: root, DestinationParentId: nested }));
    await organizations.send(new CloseAccountCommand({ AccountId: member.closed }));
    organizations.destroy();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-org-'));
  });

  after(async () => {
    await moto?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the scan as the CLI would, the role in noRole not assumable and cloudtrail denied in scp. */
  async function scan(extra: Partial<LiveScanOptions>) {
    const stderr: string[] = [];
    const calls: string[] = [];
    const scanned = new Set<string>();
    const out = path.join(dir, `report-${Date.now()}.json`);
    // moto assumes any role; AWS answers AccessDenied when the role is missing or does not trust the
    // scanner, and the SDK's credential provider throws it on the account's first call.
    const denyRole = denyActions(['sts:GetCallerIdentity']);
    const scp = denyActions(['cloudtrail:DescribeTrails']);
    const code = await scanLive({
      regions: ['eu-west-1'], allRegions: false, endpointUrl: moto!.endpoint, concurrency: 2, maxAttempts: 1,
      organization: true, roleName: 'sescheck-audit', accountConcurrency: 3,
      failOn: 'high', quiet: false, failOnNew: false, cwd: ROOT, format: 'json', output: out,
      stderr: { write: (text: string) => stderr.push(text) } as unknown as NodeJS.WritableStream,
      hooks: {
        onCall: (action) => calls.push(action),
        onProgress: (event) => scanned.add(event.account),
        onClient: (client, scope) => {
          if (scope.account === 'organization') return;
          answerMotoGaps(client, scope);
          if (scope.account === member.noRole) denyRole(client);
          if (scope.account === member.scp) scp(client);
        },
      },
      ...extra,
    });
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
    return { code, report, stderr: stderr.join(''), calls, scanned };
  }

  it('scans every active account through the role, one report, faults as unknown findings and a per-account summary', async () => {
    const { code, report, stderr, calls } = await scan({});
    const active = [ACCOUNT, member.inOu, member.noRole, member.scp].sort();
    assert.deepStrictEqual(report.input.path.replace('aws://', '').split(',').sort(), active, 'the closed account is left out');
    assert.strictEqual(code, 1, 'the management account has high findings');

    const ofAccount = (account: string) => report.findings.filter((f) => f.account === account);
    // The seeded management account: its real failures.
    assert.ok(ofAccount(ACCOUNT).some((f) => f.rule_id === 'CT-007' && f.status === 'fail'));
    // The role could not be assumed: every check unknown, never a pass, never a fail.
    const noRole = ofAccount(member.noRole);
    assert.ok(noRole.length > 0 && noRole.every((f) => f.status === 'unknown'), 'unknown findings for the account whose role failed');
    assert.ok(noRole.some((f) => f.rule_id.startsWith('CT-') && f.resource === `aws://${member.noRole}/eu-west-1`));
    assert.ok(noRole.some((f) => f.rule_id === 'ID-001' && f.resource === `arn:aws:ses:eu-west-1:${member.noRole}:identity/*`));
    // An SCP denies CloudTrail: the CloudTrail checks of that account and region are unknown, not passed.
    const scpTrail = ofAccount(member.scp).filter((f) => f.rule_id === 'CT-001');
    assert.deepStrictEqual(scpTrail.map((f) => [f.status, f.resource]), [['unknown', `aws://${member.scp}/eu-west-1`]]);
    assert.match(scpTrail[0].message, /AccessDeniedException on cloudtrail:DescribeTrails in eu-west-1/);
    // An empty member account whose calls all succeed: no SES there, nothing to find.
    assert.deepStrictEqual(ofAccount(member.inOu), []);

    assert.match(stderr, new RegExp(`sescheck: 4 account\\(s\\): 3 scanned, 1 not scanned`));
    assert.match(stderr, new RegExp(`sescheck:   ${member.noRole}  NOT SCANNED, every check unknown .*AccessDenied`));
    assert.match(stderr, new RegExp(`sescheck:   ${member.scp}  0 fail, \\d+ unknown, 0 waived; 1 failed call\\(s\\)`));
    assert.match(stderr, new RegExp(`sescheck:   ${ACCOUNT}  \\d+ fail`));
    assert.match(stderr, new RegExp(`sescheck:   ${member.inOu}  0 fail, 0 unknown, 0 waived; 0 failed call`));
    const organizationCalls = calls.filter((c) => c.startsWith('organizations:'));
    assert.deepStrictEqual([...new Set(organizationCalls)], ['organizations:ListAccounts']);
    assert.ok(organizationCalls.every((c) => Object.values(ORGANIZATION_ACTION_OF_COMMAND).includes(c)));
  });

  it('keeps to the accounts under --ou (nested OUs included) and leaves out --exclude-accounts', async () => {
    const { report, calls, scanned } = await scan({ organizationalUnits: [ou] });
    assert.strictEqual(report.input.path, `aws://${member.inOu}`);
    assert.deepStrictEqual([...scanned], [member.inOu]);
    assert.deepStrictEqual([...new Set(calls.filter((c) => c.startsWith('organizations:')))].sort(), ['organizations:ListAccountsForParent', 'organizations:ListChildren']);

    const excluded = await scan({ excludeAccounts: [member.noRole, ACCOUNT] });
    assert.deepStrictEqual(excluded.report.input.path.replace('aws://', '').split(',').sort(), [member.inOu, member.scp].sort());
    assert.strictEqual(excluded.code, 0, 'no high finding is left: the member accounts are empty');
  });

  it('stays quiet with --quiet: no summary', async () => {
    const { stderr } = await scan({ quiet: true, failOn: 'none' });
    assert.doesNotMatch(stderr, /account\(s\)/);
  });

  it('refuses contradictory options before any call, and says so when the organization cannot be listed', async () => {
    const base: LiveScanOptions = { regions: ['eu-west-1'], allRegions: false, concurrency: 2, failOnNew: false, format: 'json', failOn: 'low' };
    const cases: [Partial<LiveScanOptions>, RegExp][] = [
      [{ organization: true }, /--organization needs --role-name/],
      [{ organization: true, roleName: 'r', accountsFile: 'a.txt' }, /--organization and --accounts exclude each other/],
      [{ organization: true, roleName: 'r', roleArn: 'arn:aws:iam::111122223333:role/r' }, /--organization and --role-arn exclude each other/],
      [{ organizationalUnits: ['ou-ab12-cd34ef56'] }, /--ou needs --organization/],
      [{ excludeAccounts: ['111122223333'] }, /--exclude-accounts needs --organization or --accounts/],
      [{ organization: true, roleName: 'r', organizationalUnits: ['workloads'] }, /--ou workloads: not an organizational unit id/],
      [{ organization: true, roleName: 'r', excludeAccounts: ['1234'] }, /--exclude-accounts 1234: not a 12-digit/],
      [{ organization: true, roleName: 'r', accountConcurrency: 0 }, /--account-concurrency 0/],
    ];
    for (const [overrides, message] of cases) {
      await assert.rejects(scanLive({ ...base, ...overrides }), (e: Error) => e instanceof ConfigError && message.test(e.message), String(message));
    }
    const accounts = path.join(dir, 'accounts.txt');
    fs.writeFileSync(accounts, '111122223333\n');
    await assert.rejects(
      scanLive({ ...base, accountsFile: accounts, roleName: 'r', excludeAccounts: ['111122223333'] }),
      (e: Error) => e instanceof ConfigError && /no account to scan: --accounts left after --exclude-accounts/.test(e.message),
    );
    const denied = denyActions(['UNMAPPED:OrganizationsClient.ListAccountsCommand']);
    await assert.rejects(
      scanLive({
        ...base, endpointUrl: moto!.endpoint, maxAttempts: 1, organization: true, roleName: 'r',
        hooks: { onClient: (client, scope) => scope.account === 'organization' && denied(client) },
      }),
      (e: Error) => e instanceof InputError && /cannot list the organization's accounts: AccessDeniedException on organizations:ListAccounts/.test(e.message),
    );
  });
});

describe('docs/live.md: the organization and Security Hub policies', () => {
  const text = fs.readFileSync(path.join(ROOT, 'docs', 'live.md'), 'utf8');

  it('shows the management-side policy the organization listing is tested against', () => {
    const block = /## Scanning an organization[\s\S]*?```json\n([\s\S]*?)```/.exec(text);
    assert.ok(block, 'a json block under the organization heading');
    assert.deepStrictEqual(JSON.parse(block[1]), JSON.parse(JSON.stringify(ORGANIZATION_POLICY)));
    assert.deepStrictEqual([...ORGANIZATION_POLICY.Statement[0].Action], Object.values(ORGANIZATION_ACTION_OF_COMMAND).sort());
  });

  it('shows the statement --import-security-hub adds to each account\'s role', () => {
    const block = /## Security Hub[\s\S]*?```json\n([\s\S]*?)```/.exec(text);
    assert.ok(block, 'a json block under the Security Hub heading');
    assert.deepStrictEqual(JSON.parse(block[1]), JSON.parse(JSON.stringify(SECURITY_HUB_IMPORT_STATEMENT)));
  });
});
