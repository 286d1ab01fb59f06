# METADATA
# title: WorkMail organization delivers its audit logs
# description: |
#   Every WorkMail organization in scope (the resource ARN of log delivery sources, the
#   settings' workmail.organizations, an aws_workmail_organization in the input, and live the
#   organizations found) must deliver every log type in workmail.required_log_types (by
#   default all five WorkMail audit log types) through CloudWatch Logs vended log delivery: a
#   delivery source (organization ARN and log type) joined by a delivery to a delivery
#   destination. An organization no delivery names fails: it delivers nothing.
# related_resources:
#   - ref: https://docs.aws.amazon.com/workmail/latest/adminguide/audit-logging.html
#   - ref: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
#   - ref: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliverySource.html
# custom:
#   id: WM-001
#   severity: high
#   remediation: |
#     For each missing log type: aws_cloudwatch_log_delivery_source { name = "workmail-auth",
#     log_type = "AUTHENTICATION_LOGS", resource_arn = var.workmail_organization_arn },
#     an aws_cloudwatch_log_delivery_destination (delivery_destination_configuration {
#     destination_resource_arn = aws_cloudwatch_log_group.workmail.arn }), and
#     aws_cloudwatch_log_delivery { delivery_source_name = aws_cloudwatch_log_delivery_source.auth.name,
#     delivery_destination_arn = aws_cloudwatch_log_delivery_destination.workmail.arn }.
# schemas:
#   - input: schema.posture
package sescheck.rules.workmail.wm_001

import data.sescheck.lib.arn as arns
import data.sescheck.lib.logging_path
import data.sescheck.lib.result
import data.sescheck.lib.unread_modules

metadata := result.metadata(rego.metadata.chain())

required_log_types := {log_type | some log_type in data.settings.workmail.required_log_types}

organizations contains source.resource_arn if {
	some source in input.delivery_sources
	is_string(source.resource_arn)
	logging_path.workmail_organization_arn(source.resource_arn)
}

organizations contains arn if {
	some arn in data.settings.workmail.organizations
}

organizations contains organization.arn if {
	some organization in object.get(input, "workmail_organizations", [])
	is_string(organization.arn)
	not unlisted(organization)
	not gone(organization)
}

# An organization whose ARN is known only after apply is named by its id; sources link to it.
organizations contains organization.id if {
	some organization in object.get(input, "workmail_organizations", [])
	organization.arn == null
	not gone(organization)
}

gone(organization) if {
	is_string(organization.state)
	lower(organization.state) in {"deleted", "deleting"}
}

# Live, a region whose organizations could not be listed stands as one organization whose ARN is unknown.
unlisted(organization) if {
	is_string(organization.arn)
	logging_path.reason(organization, ["arn"]) != null
}

checked contains result.target(organization_subject(arn)) if {
	some arn in organizations
}

checked contains result.target(source) if {
	some source in unidentified_sources
}

checked contains result.target(organization) if {
	some organization in object.get(input, "workmail_organizations", [])
	unlisted(organization)
}

findings contains result.fail(metadata, organization_subject(arn), message) if {
	some arn in organizations
	missing := {sprintf("%s (%s)", [log_type, why_missing(arn, log_type)]) |
		some log_type in required_log_types
		not delivered(arn, log_type)
		count(doubts(arn, log_type)) == 0
	}
	count(missing) > 0
	message := sprintf("WorkMail organization %s does not deliver %s to a log destination%s", [
		organization_words(arn),
		concat(", ", sort(missing)),
		also_unknown(arn),
	])
}

findings contains result.unknown(metadata, organization_subject(arn), message) if {
	some arn in organizations
	every log_type in required_log_types {
		not definitely_missing(arn, log_type)
	}
	uncertain := all_doubts(arn)
	count(uncertain) > 0
	message := sprintf("cannot tell whether WorkMail organization %s delivers every required audit log type: %s", [
		organization_words(arn),
		concat("; ", sort(uncertain)),
	])
}

findings contains result.unknown(metadata, source, message) if {
	some source in unidentified_sources
	message := sprintf("delivery source %s delivers WorkMail %s, but its organization ARN (resource_arn) is unknown: %s", [
		logging_path.label(source),
		log_type_words(source),
		logging_path.reason(source, ["resource_arn"]),
	])
}

findings contains result.unknown(metadata, organization, message) if {
	some organization in object.get(input, "workmail_organizations", [])
	unlisted(organization)
	message := sprintf("WorkMail organizations in %s are unknown (%s); cannot tell whether they deliver their audit logs", [
		organization.region,
		logging_path.reason(organization, ["arn"]),
	])
}

# Delivery sources with a WorkMail log type whose organization cannot be told.
unidentified_sources := {source |
	some source in logging_path.workmail_sources
	source.resource_arn == null
	object.get(source, "workmail_organization", null) == null
}

organization_subject(arn) := organization if {
	some organization in object.get(input, "workmail_organizations", [])
	arn in {organization.arn, organization.id}
} else := {
	"id": arn,
	"account": object.get(arns.parse(arn), "account", null),
	"region": object.get(arns.parse(arn), "region", null),
	"location": source_location(arn),
}

# Where the organization's ARN is written, when the input says.
source_location(arn) := min(locations) if {
	locations := {source.location |
		some source in input.delivery_sources
		source.resource_arn == arn
		source.location != null
	}
	count(locations) > 0
} else := null

sources(arn, log_type) := {source |
	some source in input.delivery_sources
	names_organization(source, arn)
	source.log_type == log_type
}

# A source names an organization by ARN, or by link to its object (id) when the ARN is known only after apply.
names_organization(source, arn) if source.resource_arn == arn

names_organization(source, id) if object.get(source, "workmail_organization", null) == id

names_organization(source, arn) if {
	some organization in object.get(input, "workmail_organizations", [])
	organization.arn == arn
	object.get(source, "workmail_organization", null) == organization.id
}

organization_words(key) := sprintf("%s (ARN known only after apply)", [key]) if {
	some organization in object.get(input, "workmail_organizations", [])
	organization.id == key
	organization.arn == null
} else := key

has_destination(delivery) if {
	delivery.delivery_destination != null
	not lost(delivery)
}

has_destination(delivery) if {
	is_string(delivery.delivery_destination_arn)
	delivery.delivery_destination_arn != ""
	not lost(delivery)
}

# Live: the delivery's destination writes to a bucket (or stream) that does not exist.
lost(delivery) if {
	destination := logging_path.destination_of(delivery)
	logging_path.does_not_exist(logging_path.target_kind(destination), destination.target)
}

delivered(arn, log_type) if {
	some source in sources(arn, log_type)
	some delivery in logging_path.deliveries_of(source)
	has_destination(delivery)
}

definitely_missing(arn, log_type) if {
	not delivered(arn, log_type)
	count(doubts(arn, log_type)) == 0
}

destination_unknown(delivery) := reason if {
	not has_destination(delivery)
	reason := logging_path.reason(delivery, ["delivery_destination_arn", "delivery_destination"])
	reason != null
}

may_have_destination(delivery) if has_destination(delivery)

may_have_destination(delivery) if destination_unknown(delivery)

# Deliveries whose source cannot be told: they may join any delivery source.
unjoined_deliveries := {delivery |
	some delivery in input.deliveries
	delivery.delivery_source == null
	delivery.delivery_source_name == null
	logging_path.reason(delivery, ["delivery_source_name", "delivery_source"]) != null
	may_have_destination(delivery)
}

# Why a required log type might still be delivered although no known delivery shows it.
doubts(arn, log_type) := set() if {
	delivered(arn, log_type)
} else := union({
	source_doubts(arn, log_type),
	unread_modules.doubts("log deliveries for it"),
	{sprintf("%s: destination of delivery %s is unknown (%s)", [log_type, logging_path.label(delivery), reason]) |
		some source in sources(arn, log_type)
		some delivery in logging_path.deliveries_of(source)
		reason := destination_unknown(delivery)
	},
	{sprintf("%s: delivery %s has an unknown delivery source (%s)", [log_type, logging_path.label(delivery), reason]) |
		count(sources(arn, log_type)) > 0
		some delivery in unjoined_deliveries
		reason := logging_path.reason(delivery, ["delivery_source_name", "delivery_source"])
	},
})

# Sources that may be this organization's log type, but whose ARN or log type is unknown.
source_doubts(arn, log_type) := {sprintf("%s: delivery source %s has %s", [log_type, logging_path.label(source), unknown_words(source)]) |
	some source in input.delivery_sources
	may_match(source, arn, log_type)
	not source in sources(arn, log_type)
	may_be_delivered(source)
}

all_doubts(arn) := {doubt |
	some log_type in required_log_types
	some doubt in doubts(arn, log_type)
}

may_match(source, arn, log_type) if {
	field_matches_or_unknown(source, "resource_arn", arn)
	field_matches_or_unknown(source, "log_type", log_type)
}

field_matches_or_unknown(source, field, value) if source[field] == value

field_matches_or_unknown(source, "resource_arn", key) if names_organization(source, key)

field_matches_or_unknown(source, field, _) if {
	source[field] == null
	logging_path.reason(source, [field]) != null
}

may_be_delivered(source) if {
	some delivery in logging_path.deliveries_of(source)
	may_have_destination(delivery)
}

may_be_delivered(_) if count(unjoined_deliveries) > 0

# A source whose name is unknown may be the one a delivery names.
may_be_delivered(source) if {
	source.name == null
	logging_path.reason(source, ["name"]) != null
}

unknown_words(source) := concat(" and ", [sprintf("an unknown %s (%s)", [field, logging_path.reason(source, [field])]) |
	some field in ["resource_arn", "log_type"]
	source[field] == null
	logging_path.reason(source, [field]) != null
])

why_missing(arn, log_type) := "no delivery source" if {
	count(sources(arn, log_type)) == 0
} else := sprintf("delivery source %s has no delivery", [names]) if {
	names := concat(", ", sort([logging_path.label(source) |
		some source in sources(arn, log_type)
	]))
	every source in sources(arn, log_type) {
		count(logging_path.deliveries_of(source)) == 0
	}
} else := sprintf("the destination of delivery %s does not exist", [concat(", ", sort([logging_path.label(delivery) |
	some source in sources(arn, log_type)
	some delivery in logging_path.deliveries_of(source)
	lost(delivery)
]))]) if {
	some source in sources(arn, log_type)
	some delivery in logging_path.deliveries_of(source)
	lost(delivery)
} else := sprintf("delivery %s has no delivery destination", [concat(", ", sort([logging_path.label(delivery) |
	some source in sources(arn, log_type)
	some delivery in logging_path.deliveries_of(source)
]))])

also_unknown(arn) := "" if {
	count(all_doubts(arn)) == 0
} else := sprintf("; also unknown: %s", [concat("; ", sort(all_doubts(arn)))])

log_type_words(source) := source.log_type if is_string(source.log_type)

log_type_words(source) := "audit logs (log type unknown)" if not is_string(source.log_type)
