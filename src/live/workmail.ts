import { WorkMailClient, paginateListOrganizations } from '@aws-sdk/client-workmail';
import { unread, workmailOrganization } from '../posture/objects';
import type { ScanContext } from './scan-context';
import { distinctPages } from './answers';

/** The regions that offer Amazon WorkMail (AWS General Reference, "Amazon WorkMail endpoints and quotas"). */
export const WORKMAIL_REGIONS: readonly string[] = ['us-east-1', 'us-west-2', 'eu-west-1'];

/** States of an organization that no longer exists. */
const GONE = new Set(['Deleted', 'DELETED']);

/** The WorkMail organizations of a region (only called for regions that offer WorkMail). */
export async function collectWorkmail(ctx: ScanContext, region: string): Promise<void> {
  ctx.progress(region, 'workmail', 'start');
  const client = ctx.client('workmail', region, (settings) => new WorkMailClient(settings));
  const listed = await ctx.attempt(
    { action: 'workmail:ListOrganizations', region, consequence: `the WorkMail organizations of ${region} are unknown` },
    async () => {
      const organizations = [];
      for await (const page of distinctPages(paginateListOrganizations({ client }, {}), 'NextToken')) organizations.push(...(page.OrganizationSummaries ?? []));
      return organizations;
    },
  );
  if (!listed.ok) {
    // The stand-in's ARN is the region's wildcard; unknown.arn says no organization was read.
    const arn = ctx.arn('workmail', region, 'organization/*');
    const standIn = unread(workmailOrganization(ctx.postureObject(arn, region)), ['arn', 'alias', 'state'], listed.reason);
    ctx.posture.workmail_organizations.push({ ...standIn, arn });
  } else {
    for (const organization of listed.value) {
      if (!organization.OrganizationId || (organization.State && GONE.has(organization.State))) continue;
      const arn = ctx.arn('workmail', region, `organization/${organization.OrganizationId}`);
      ctx.posture.workmail_organizations.push(workmailOrganization(ctx.postureObject(arn, region), { arn, alias: organization.Alias ?? null, state: organization.State ?? null }));
    }
  }
  ctx.progress(region, 'workmail', 'done');
}
