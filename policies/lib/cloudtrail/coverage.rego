# Which trails cover a place: the trail's account (its own, or its organization's members) and
# its regions (multi-region, or its home region).
package sescheck.lib.cloudtrail

import data.sescheck.lib.accounts

# METADATA
# description: |
#   Whether the trail's events include the place's account (yes, no, unknown): its own account,
#   or a member account of its organization. A trail declared in the settings without an
#   account is the scanned account's; declared as an organization trail, it covers the input.
account_coverage(trail, place) := "yes" if {
	accounts.relation(trail, place) == "same"
} else := "yes" if {
	trail.declared_in_settings == true
	trail.account == null
} else := "yes" if {
	trail.organization == true
	organization_member(trail, place)
} else := "no" if {
	accounts.relation(trail, place) == "different"
	trail.organization == false
} else := "unknown"

organization_member(trail, _) if trail.declared_in_settings == true

# Live: an organization trail listed in a member account names that account.
organization_member(trail, place) if place.account in object.get(trail, "organization_member_accounts", [])

account_text(trail, place) := sprintf("%s is an organization trail of %s; whether %s is a member is not in the input", [
	trail_label(trail),
	accounts.label(trail),
	accounts.label(place),
]) if {
	trail.organization == true
	accounts.relation(trail, place) == "different"
} else := sprintf("whether %s (%s) is in the account of %s (%s) is unknown", [
	trail_label(trail),
	accounts.label(trail),
	place_label(place),
	accounts.label(place),
])

# METADATA
# description: Whether the trail records the place's region (yes, no, unknown).
covers(trail, place) := "no" if {
	account_coverage(trail, place) == "no"
} else := "unknown" if {
	account_coverage(trail, place) == "unknown"
	region_coverage(trail, place) != "no"
} else := "no" if {
	account_coverage(trail, place) == "unknown"
} else := region_coverage(trail, place)

region_coverage(trail, place) := "yes" if {
	trail.multi_region == true
} else := "unknown" if {
	object.get(trail.unknown, "multi_region", null) != null
	not trail.region == place.region
} else := "unknown" if {
	not is_string(place.region)
} else := "unknown" if {
	not is_string(trail.region)
} else := "yes" if {
	trail.region == place.region
} else := "no"

coverage_text(trail, place) := sprintf("%s is single-region in %s", [trail_label(trail), trail.region]) if {
	covers(trail, place) == "no"
	account_coverage(trail, place) != "no"
} else := sprintf("%s belongs to account %s", [trail_label(trail), trail.account]) if {
	covers(trail, place) == "no"
} else := account_text(trail, place) if {
	account_coverage(trail, place) == "unknown"
} else := sprintf("%s: whether it covers %s is unknown (%s)", [
	trail_label(trail),
	place_label(place),
	unknown_fields_text(trail.unknown, ["multi_region", "region"]),
])
