import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { distinctPages } from './answers';
import type { ScanContext } from './scan-context';

/** The account's enabled regions (opted in, or enabled by default); null when they cannot be read. */
export async function enabledRegions(ctx: ScanContext): Promise<string[] | null> {
  // The Account Management API answers for the whole account from the partition's home region.
  const client = ctx.client('account', ctx.homeRegion, (settings) => new AccountClient(settings));
  const listed = await ctx.attempt(
    { action: 'account:ListRegions', region: ctx.homeRegion, consequence: 'the enabled regions of the account are unknown, so no region was scanned' },
    async () => {
      const regions: string[] = [];
      const pages = paginateListRegions({ client }, { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] });
      for await (const page of distinctPages(pages, 'NextToken')) {
        for (const region of page.Regions ?? []) if (region.RegionName) regions.push(region.RegionName);
      }
      return regions.sort();
    },
  );
  return listed.ok ? listed.value : null;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function isRegionName(region: string): boolean {
  return REGION_PATTERN.test(region);
}
