package sescheck.rules.workmail.wm_001_test

import data.sescheck.rules.workmail.wm_001 as check

organization := "arn:aws:workmail:eu-west-1:111122223333:organization/m-0123456789abcdef"

log_types := ["ACCESS_CONTROL_LOGS", "AUTHENTICATION_LOGS", "WORKMAIL_MAILBOX_ACCESS_LOGS", "WORKMAIL_AVAILABILITY_PROVIDER_LOGS", "WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS"]

base(id, overrides) := object.union({"id": id, "account": null, "region": "eu-west-1", "location": null, "unknown": {}}, overrides)

source(log_type) := base(sprintf("aws_cloudwatch_log_delivery_source.%s", [lower(log_type)]), {
	"name": lower(log_type), "resource_arn": organization, "log_type": log_type,
	"location": {"file": "workmail.tf", "line": 1},
})

# Joined by link.
delivery(log_type) := base(sprintf("aws_cloudwatch_log_delivery.%s", [lower(log_type)]), {
	"delivery_source_name": lower(log_type), "delivery_source": sprintf("aws_cloudwatch_log_delivery_source.%s", [lower(log_type)]),
	"delivery_destination_arn": null, "delivery_destination": "aws_cloudwatch_log_delivery_destination.cwl",
})

destination := base("aws_cloudwatch_log_delivery_destination.cwl", {
	"name": "cwl", "arn": null, "destination_type": "cwl", "destination_resource_arn": null, "target": "aws_cloudwatch_log_group.workmail",
})

posture(types) := {
	"delivery_sources": [source(log_type) | some log_type in types],
	"deliveries": [delivery(log_type) | some log_type in types],
	"delivery_destinations": [destination],
	"workmail_organizations": [],
}

only(findings) := finding if {
	count(findings) == 1
	some finding in findings
}

test_every_log_type_delivered_passes if {
	count(check.findings) == 0 with input as posture(log_types)
	check.checked == {{"resource": organization, "region": "eu-west-1", "account": "111122223333", "location": {"file": "workmail.tf", "line": 1}}} with input as posture(log_types)
}

test_missing_log_types_fail_and_are_named if {
	finding := only(check.findings) with input as posture(["ACCESS_CONTROL_LOGS", "AUTHENTICATION_LOGS"])
	finding.status == "fail"
	finding.rule_id == "WM-001"
	finding.resource == organization
	finding.message == sprintf("WorkMail organization %s does not deliver WORKMAIL_AVAILABILITY_PROVIDER_LOGS (no delivery source), WORKMAIL_MAILBOX_ACCESS_LOGS (no delivery source), WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS (no delivery source) to a log destination", [organization])
}

# Delivery sources are named per region: a delivery in us-east-1 naming "x" uses us-east-1's source "x".
test_join_by_source_name_stays_in_the_region if {
	by_name := [object.union(delivery(log_type), {"delivery_source": null, "region": "us-east-1"}) | some log_type in log_types]
	finding := only(check.findings) with input as object.union(posture(log_types), {"deliveries": by_name})
	finding.status == "fail"
	contains(finding.message, "WORKMAIL_MAILBOX_ACCESS_LOGS (delivery source workmail_mailbox_access_logs has no delivery)")
}

test_join_by_source_name_and_destination_arn if {
	by_name := [object.union(delivery(log_type), {
		"delivery_source": null,
		"delivery_destination": null, "delivery_destination_arn": "arn:aws:logs:eu-west-1:999988887777:delivery-destination:central",
	}) |
		some log_type in log_types
	]
	count(check.findings) == 0 with input as object.union(posture(log_types), {"deliveries": by_name, "delivery_destinations": []})
}

test_source_without_delivery_fails if {
	partial := object.union(posture(log_types), {"deliveries": [delivery(log_type) | some log_type in array.slice(log_types, 1, 4)]})
	finding := only(check.findings) with input as partial
	finding.status == "fail"
	contains(finding.message, "ACCESS_CONTROL_LOGS (delivery source access_control_logs has no delivery)")
}

test_delivery_without_destination_fails if {
	nowhere := object.union(delivery("ACCESS_CONTROL_LOGS"), {"delivery_destination": null, "delivery_destination_arn": null})
	others := [delivery(log_type) | some log_type in array.slice(log_types, 1, 5)]
	finding := only(check.findings) with input as object.union(posture(log_types), {"deliveries": array.concat([nowhere], others)})
	finding.status == "fail"
	contains(finding.message, "ACCESS_CONTROL_LOGS (delivery aws_cloudwatch_log_delivery.access_control_logs has no delivery destination)")
}

test_organization_from_settings_without_any_source_fails if {
	finding := only(check.findings) with input as posture([]) with data.settings.workmail.organizations as [organization]
	finding.status == "fail"
	finding.account == "111122223333"
	finding.location == null
	contains(finding.message, "ACCESS_CONTROL_LOGS (no delivery source), AUTHENTICATION_LOGS (no delivery source)")
}

test_live_organizations_are_in_scope_unless_deleted if {
	live := base(organization, {"arn": organization, "alias": "corp", "state": "Active"})
	finding := only(check.findings) with input as object.union(posture([]), {"workmail_organizations": [live]})
	finding.status == "fail"
	finding.resource == organization
	deleted := object.union(live, {"state": "Deleted"})
	count(check.findings) == 0 with input as object.union(posture([]), {"workmail_organizations": [deleted]})
}

test_required_log_types_come_from_settings if {
	count(check.findings) == 0 with input as posture(["AUTHENTICATION_LOGS"])
		with data.settings.workmail.required_log_types as ["AUTHENTICATION_LOGS"]
}

test_unknown_log_type_is_unknown_for_that_type if {
	unknown_source := object.union(source("ACCESS_CONTROL_LOGS"), {"log_type": null, "unknown": {"log_type": "variable var.log_type has no value"}})
	sources := array.concat([unknown_source], [source(log_type) | some log_type in array.slice(log_types, 1, 4)])
	finding := only(check.findings) with input as object.union(posture(log_types), {"delivery_sources": sources})
	finding.status == "unknown"
	contains(finding.message, "ACCESS_CONTROL_LOGS: delivery source access_control_logs has an unknown log_type (variable var.log_type has no value)")
}

test_unknown_destination_is_unknown if {
	unknown := object.union(delivery("ACCESS_CONTROL_LOGS"), {
		"delivery_destination": null, "delivery_destination_arn": null,
		"unknown": {"delivery_destination_arn": "known only after apply"},
	})
	others := [delivery(log_type) | some log_type in array.slice(log_types, 1, 5)]
	finding := only(check.findings) with input as object.union(posture(log_types), {"deliveries": array.concat([unknown], others)})
	finding.status == "unknown"
	contains(finding.message, "destination of delivery aws_cloudwatch_log_delivery.access_control_logs is unknown")
}

test_unknown_organization_arn_is_unknown_on_the_source if {
	unknown_source := object.union(source("AUTHENTICATION_LOGS"), {"resource_arn": null, "unknown": {"resource_arn": "variable var.organization_arn has no value"}})
	posture_unknown := object.union(posture(["AUTHENTICATION_LOGS"]), {"delivery_sources": [unknown_source]})
	finding := only(check.findings) with input as posture_unknown
	finding.status == "unknown"
	finding.resource == "aws_cloudwatch_log_delivery_source.authentication_logs"
	contains(finding.message, "var.organization_arn")

	# With the organization named in settings, its AUTHENTICATION_LOGS may come from that source.
	findings := check.findings with input as posture_unknown with data.settings.workmail.organizations as [organization]
	some org_finding in findings
	org_finding.resource == organization
	org_finding.status == "fail"
	contains(org_finding.message, "ACCESS_CONTROL_LOGS (no delivery source)")
	contains(org_finding.message, "also unknown: AUTHENTICATION_LOGS: delivery source authentication_logs has an unknown resource_arn")
}

test_other_vended_log_sources_are_not_organizations if {
	bedrock := base("aws_cloudwatch_log_delivery_source.kb", {"name": "kb", "resource_arn": "arn:aws:bedrock:eu-west-1:111122223333:knowledge-base/x", "log_type": "APPLICATION_LOGS"})
	count(check.findings) == 0 with input as object.union(posture([]), {"delivery_sources": [bedrock]})
	count(check.checked) == 0 with input as object.union(posture([]), {"delivery_sources": [bedrock]})
}

test_unlisted_organizations_are_unknown_not_failed if {
	placeholder := base("arn:aws:workmail:eu-west-1:111122223333:organization/*", {
		"arn": "arn:aws:workmail:eu-west-1:111122223333:organization/*", "alias": null, "state": null,
		"unknown": {"arn": "AccessDenied on workmail:ListOrganizations in eu-west-1", "alias": "x", "state": "x"},
	})
	finding := only(check.findings) with input as object.union(posture([]), {"workmail_organizations": [placeholder]})
	finding.status == "unknown"
	contains(finding.message, "WorkMail organizations in eu-west-1 are unknown (AccessDenied")
}

test_unlisted_delivery_sources_make_the_organization_unknown if {
	placeholder := base("arn:aws:logs:eu-west-1:111122223333:delivery-source:*", {
		"name": null, "resource_arn": null, "log_type": null,
		"unknown": {"name": "AccessDenied", "resource_arn": "AccessDenied", "log_type": "AccessDenied"},
	})
	live := base(organization, {"arn": organization, "alias": "corp", "state": "Active"})
	finding := only(check.findings) with input as object.union(posture([]), {"delivery_sources": [placeholder], "workmail_organizations": [live]})
	finding.status == "unknown"
	contains(finding.message, "has an unknown resource_arn (AccessDenied) and an unknown log_type (AccessDenied)")
}

test_delivery_with_unknown_source_makes_the_type_unknown if {
	unjoined := base("aws_cloudwatch_log_delivery.unjoined", {
		"delivery_source_name": null, "delivery_source": null,
		"delivery_destination_arn": "arn:aws:logs:eu-west-1:111122223333:delivery-destination:cwl", "delivery_destination": null,
		"unknown": {"delivery_source_name": "expression not evaluated: ${local.source}"},
	})
	others := [delivery(log_type) | some log_type in array.slice(log_types, 1, 5)]
	finding := only(check.findings) with input as object.union(posture(log_types), {"deliveries": array.concat([unjoined], others)})
	finding.status == "unknown"
	contains(finding.message, "ACCESS_CONTROL_LOGS: delivery aws_cloudwatch_log_delivery.unjoined has an unknown delivery source (expression not evaluated: ${local.source})")
}

test_missing_log_types_with_an_unread_module_are_unknown if {
	unread_module := {"id": "module.workmail_logs", "reason": "source \"git::https://example.com/logs.git\" is not a local directory", "location": null}
	input_posture := object.union(posture(["ACCESS_CONTROL_LOGS"]), {"unread_modules": [unread_module]})
	finding := only(check.findings) with input as input_posture
	finding.status == "unknown"
	contains(finding.message, "module.workmail_logs may declare log deliveries for it: sescheck cannot read it")
}

test_personal_access_token_logs_are_required_by_default if {
	four := [log_type | some log_type in log_types; log_type != "WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS"]
	finding := only(check.findings) with input as posture(four)
	finding.status == "fail"
	contains(finding.message, "WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS (no delivery source)")
}

declared := base("aws_workmail_organization.main", {"arn": null, "alias": "example-org", "state": null, "unknown": {"arn": "known only after apply"}})

test_declared_organization_without_delivery_fails if {
	finding := only(check.findings) with input as object.union(posture([]), {"workmail_organizations": [declared]})
	finding.status == "fail"
	finding.resource == "aws_workmail_organization.main"
	contains(finding.message, "WorkMail organization aws_workmail_organization.main (ARN known only after apply) does not deliver ACCESS_CONTROL_LOGS (no delivery source)")
}

test_declared_organization_linked_by_its_sources_passes if {
	linked := [object.union(source(log_type), {"resource_arn": null, "workmail_organization": "aws_workmail_organization.main"}) | some log_type in log_types]
	count(check.findings) == 0 with input as object.union(posture(log_types), {"delivery_sources": linked, "workmail_organizations": [declared]})
	check.checked == {{"resource": "aws_workmail_organization.main", "region": "eu-west-1", "account": null, "location": null}} with input as object.union(posture(log_types), {"delivery_sources": linked, "workmail_organizations": [declared]})
}

# Live: a delivery destination whose bucket does not exist delivers nothing.
test_delivery_to_a_bucket_that_does_not_exist_fails if {
	to_s3 := base("aws_cloudwatch_log_delivery_destination.cwl", {
		"name": "s3", "arn": null, "destination_type": "s3",
		"destination_resource_arn": "arn:aws:s3:::wm-logs", "target": "arn:aws:s3:::wm-logs",
	})
	gone := base("arn:aws:s3:::wm-logs", {
		"name": "wm-logs", "arn": "arn:aws:s3:::wm-logs", "region": null, "lifecycle_rules": [],
		"public_access_block": null, "public_access_block_source": null, "exists": false,
	})
	finding := only(check.findings) with input as object.union(posture(log_types), {"delivery_destinations": [to_s3], "s3_buckets": [gone]})
	finding.status == "fail"
	contains(finding.message, "ACCESS_CONTROL_LOGS (the destination of delivery aws_cloudwatch_log_delivery.access_control_logs does not exist)")
}
