import { SESv2Client, paginateListMultiRegionEndpoints } from '@aws-sdk/client-sesv2';
import type { MultiRegionEndpoint } from '../posture/types';
import type { ScanContext } from './scan-context';
import { distinctPages } from './answers';

/**
 * The SES multi-region endpoints (global endpoints) whose primary region is this one: SES sends
 * through them from every region they list, which the CloudTrail rules then put in scope.
 */
export async function collectMultiRegionEndpoints(ctx: ScanContext, region: string): Promise<void> {
  const client = ctx.client('sesv2', region, (settings) => new SESv2Client(settings));
  const listed = await ctx.attempt(
    { action: 'ses:ListMultiRegionEndpoints', region, consequence: `whether SES global endpoints send from ${region} and other regions is unknown` },
    async () => {
      const endpoints: MultiRegionEndpoint[] = [];
      for await (const page of distinctPages(paginateListMultiRegionEndpoints({ client }, {}), 'NextToken')) {
        for (const endpoint of page.MultiRegionEndpoints ?? []) {
          const name = endpoint.EndpointName ?? endpoint.EndpointId ?? '*';
          endpoints.push({
            id: ctx.arn('ses', region, `multi-region-endpoint/${name}`),
            account: ctx.account,
            region,
            location: null,
            unknown: endpoint.Regions ? {} : { regions: `ListMultiRegionEndpoints in ${region} did not list the regions of endpoint ${name}` },
            name: endpoint.EndpointName ?? null,
            regions: endpoint.Regions ? [...new Set([region, ...endpoint.Regions])] : null,
          });
        }
      }
      return endpoints;
    },
  );
  // A denied list leaves the secondary regions of any endpoint here unknown: a stand-in says so.
  const endpoints: MultiRegionEndpoint[] = listed.ok
    ? listed.value
    : [{ id: ctx.arn('ses', region, 'multi-region-endpoint/*'), account: ctx.account, region, location: null, unknown: { regions: listed.reason }, name: null, regions: null }];
  ctx.posture.multi_region_endpoints?.push(...endpoints);
}
