import type { Posture, Trail } from '../posture/types';
import type { ExternalTrailSetting } from './settings';

/** Trails managed outside the input (settings' cloudtrail.external_trails), as posture trails. */
export function withExternalTrails(posture: Posture, trails: ExternalTrailSetting[]): Posture {
  if (trails.length === 0) return posture;
  return { ...posture, trails: [...posture.trails, ...trails.map(toTrail)] };
}

function toTrail(setting: ExternalTrailSetting): Trail {
  const kind = setting.kind ?? 'trail';
  return {
    id: `settings:cloudtrail.external_trails/${setting.name}`,
    account: setting.account ?? null,
    region: setting.home_region,
    location: null,
    unknown: {},
    kind,
    name: setting.name,
    arn: null,
    multi_region: setting.multi_region ?? kind === 'event_data_store',
    organization: setting.organization ?? false,
    logging: setting.logging ?? true,
    log_file_validation: kind === 'trail' ? (setting.log_file_validation ?? false) : null,
    kms_key_id: setting.kms_key_id ?? null,
    kms_key: null,
    basic_event_selectors: (setting.basic_event_selectors ?? []).map((selector) => ({
      read_write_type: selector.read_write_type ?? 'All',
      include_management_events: selector.include_management_events ?? true,
      exclude_management_event_sources: selector.exclude_management_event_sources ?? [],
      data_resources: [],
    })),
    advanced_event_selectors: (setting.advanced_event_selectors ?? []).map((selector) => ({
      name: selector.name ?? null,
      field_selectors: selector.field_selectors,
    })),
    s3_bucket_name: setting.s3_bucket_name ?? null,
    s3_bucket: null,
    log_group_arn: null,
    log_group: null,
    declared_in_settings: true,
  };
}
