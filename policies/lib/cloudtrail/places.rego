# The places (account and region) the CloudTrail rules judge, the trails of the input, and the
# words that name a place or a trail in a message.
package sescheck.lib.cloudtrail

import data.sescheck.lib.accounts
import data.sescheck.lib.result

default settings_regions := []

settings_regions := data.settings.cloudtrail.regions

# METADATA
# description: Extra data-event resource types CT-002 requires (settings).
default required_resource_types := ["AWS::SES::ConfigurationSet", "AWS::SES::Template"]

required_resource_types := data.settings.cloudtrail.required_resource_types

ses_resources := array.concat(
	[identity | some identity in object.get(input, "identities", [])],
	[configuration_set | some configuration_set in object.get(input, "configuration_sets", [])],
)

trails := object.get(input, "trails", [])

multi_region_endpoints := object.get(input, "multi_region_endpoints", [])

# Accounts in scope, as [account, doubt]: those of the SES resources, else those of the trails, else "the one account".
scope_accounts := {account_of(resource) | some resource in ses_resources} if count(ses_resources) > 0

else := {account_of(trail) | some trail in trails} if count(trails) > 0

else := {[null, ""]}

account_of(thing) := [thing.account, accounts.doubt(thing)]

# METADATA
# description: |
#   (account, region) pairs in scope: where SES resources are, plus the settings' regions;
#   with neither, the home regions of the input's trails.
each_scope_region contains [resource.account, accounts.doubt(resource), resource.region] if {
	some resource in ses_resources
	is_string(resource.region)
}

# SES sends through a global endpoint from each of its regions: all are in scope.
each_scope_region contains [endpoint.account, accounts.doubt(endpoint), region] if {
	some endpoint in multi_region_endpoints
	some region in endpoint.regions
}

each_scope_region contains [account, doubt, region] if {
	some region in settings_regions
	some [account, doubt] in scope_accounts
}

each_scope_region contains [trail.account, accounts.doubt(trail), trail.region] if {
	count(ses_resources) == 0
	count(multi_region_endpoints) == 0
	count(settings_regions) == 0
	some trail in trails
	is_string(trail.region)
}

# METADATA
# description: |
#   Every place a CloudTrail rule judges: a region of an account (subject aws://ACCOUNT/REGION),
#   or an SES resource whose region cannot be told (subject: the resource). An array, not a set:
#   a place holds its identities and configuration sets, and wasm hashes a whole set element on
#   every insert and scan.
places := array.concat(array.concat(located_places, unlocated_resource_places), unlocated_endpoint_places)

located_places := [place |
	some [account, doubt, region] in scope_regions
	place := {
		"subject": place_subject(account, doubt, region),
		"account": account,
		"unknown": doubt_unknown(doubt),
		"region": region,
		"region_unknown": null,
		# The parts compared one by one (region first), not as a new [account, doubt] per resource.
		"identities": [identity |
			some identity in object.get(input, "identities", [])
			identity.region == region
			identity.account == account
			accounts.doubt(identity) == doubt
		],
		"configuration_sets": [configuration_set |
			some configuration_set in object.get(input, "configuration_sets", [])
			configuration_set.region == region
			configuration_set.account == account
			accounts.doubt(configuration_set) == doubt
		],
	}
]

unlocated_resource_places := [unlocated_place(resource, "region", identities, configuration_sets) |
	some resource in ses_resources
	not is_string(resource.region)
	identities := [identity | some identity in object.get(input, "identities", []); identity.id == resource.id]
	configuration_sets := [configuration_set |
		some configuration_set in object.get(input, "configuration_sets", [])
		configuration_set.id == resource.id
	]
]

# A global endpoint whose regions are unknown sends from a region that cannot be told.
unlocated_endpoint_places := [unlocated_place(endpoint, "regions", [], []) |
	some endpoint in multi_region_endpoints
	not is_array(endpoint.regions)
]

# A place whose region cannot be told is the object itself, with the SES resources it stands for.
unlocated_place(subject, region_field, identities, configuration_sets) := {
	"subject": subject,
	"account": subject.account,
	"unknown": doubt_unknown(accounts.doubt(subject)),
	"region": null,
	"region_unknown": object.get(subject.unknown, region_field, "not given in the input"),
	"identities": identities,
	"configuration_sets": configuration_sets,
}

place_subject(account, "", region) := result.scope(account, region)

# Two unnamed accounts that may differ are two places.
place_subject(account, doubt, region) := object.union(result.scope(account, region), {
	"id": sprintf("aws://default/%s (%s)", [region, doubt]),
}) if {
	doubt != ""
}

doubt_unknown("") := {}

doubt_unknown(doubt) := {"account": doubt} if doubt != ""

place_label(place) := place.region if is_string(place.region)

place_label(place) := sprintf("the unknown region of %s (%s)", [place.subject.id, place.region_unknown]) if {
	not is_string(place.region)
}

# METADATA
# description: A trail in words, such as trail NAME or event data store NAME.
trail_label(trail) := sprintf("%s %s", [kind_label[trail.kind], trail_name(trail)])

kind_label := {"trail": "trail", "event_data_store": "event data store"}

trail_name(trail) := trail.name if is_string(trail.name)

trail_name(trail) := trail.id if not is_string(trail.name)

# Complete rules over the partial ones: wasm evaluates a complete rule once per query, but
# re-evaluates a partial rule at every reference (in loops and functions too).
scope_regions := {x | some x in each_scope_region}
