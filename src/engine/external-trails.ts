import { advancedEventSelector, basicEventSelector, trail } from '../posture/objects';
import type { Posture, Trail } from '../posture/types';
import type { ExternalTrailSetting } from './settings';

/** Trails managed outside the input (settings' cloudtrail.external_trails), as posture trails. */
export function withExternalTrails(posture: Posture, trails: ExternalTrailSetting[]): Posture {
  if (trails.length === 0) return posture;
  return { ...posture, trails: [...posture.trails, ...trails.map(toTrail)] };
}

/** What the setting leaves out is CloudTrail's default for its kind. */
function toTrail(setting: ExternalTrailSetting): Trail {
  const kind = setting.kind ?? 'trail';
  const place = { id: `settings:cloudtrail.external_trails/${setting.name}`, account: setting.account ?? null, region: setting.home_region };
  return trail(place, kind, {
    name: setting.name,
    multi_region: setting.multi_region,
    organization: setting.organization,
    logging: setting.logging,
    // Event data stores have no log file validation.
    log_file_validation: kind === 'trail' ? setting.log_file_validation : undefined,
    kms_key_id: setting.kms_key_id,
    basic_event_selectors: (setting.basic_event_selectors ?? []).map((selector) =>
      basicEventSelector({
        read_write_type: selector.read_write_type,
        include_management_events: selector.include_management_events,
        exclude_management_event_sources: selector.exclude_management_event_sources,
      }),
    ),
    advanced_event_selectors: (setting.advanced_event_selectors ?? []).map((selector) =>
      advancedEventSelector({ name: selector.name, field_selectors: selector.field_selectors }),
    ),
    s3_bucket_name: setting.s3_bucket_name,
    declared_in_settings: true,
  });
}
