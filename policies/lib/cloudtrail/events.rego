# The events a trail must record, modelled as CloudTrail writes them: SES sends (data events, an
# API part and a resource part) and SES management write events.
package sescheck.lib.cloudtrail

email_identity_type := "AWS::SES::EmailIdentity"

# The send APIs CloudTrail records as SES data events (v1 and v2 share SendEmail).
send_event_names := ["SendEmail", "SendRawEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail", "SendBulkEmail"]

template_send_event_names := ["SendEmail", "SendBulkEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail"]

# ARN resource part of each SES data-event resource type.
resource_paths := {
	"AWS::SES::EmailIdentity": "identity/",
	"AWS::SES::ConfigurationSet": "configuration-set/",
	"AWS::SES::Template": "template/",
}

known(value, text) := {"kind": "known", "value": value, "text": text}

# The resources.ARN of the place's resources of a data-event type, as patterns whose unknown
# parts (account, name) may hide the exact ARN.
# The head of the place's ARNs is built once, not for each resource.
resource_arns(place, "AWS::SES::EmailIdentity") := [named_arn_pattern(head, identity.identity, identity.unknown, "identity") |
	some identity in place.identities
] if {
	count(place.identities) > 0
	head := arn_head(place, "identity/")
}

resource_arns(place, "AWS::SES::ConfigurationSet") := [named_arn_pattern(head, configuration_set.name, configuration_set.unknown, "name") |
	some configuration_set in place.configuration_sets
] if {
	count(place.configuration_sets) > 0
	head := arn_head(place, "configuration-set/")
}

resource_arns(place, type) := [arn_pattern(place, resource_paths[type], null, {}, "none in the input")] if {
	type in {"AWS::SES::EmailIdentity", "AWS::SES::ConfigurationSet", "AWS::SES::Template"}
	not place_has_resources(place, type)
}

resource_arns(_, type) := [{
	"kind": "opaque",
	"text": sprintf("the %s resources", [type]),
	"reason": sprintf("sescheck does not know the ARNs of %s", [type]),
}] if {
	not resource_paths[type]
}

place_has_resources(place, "AWS::SES::EmailIdentity") if count(place.identities) > 0

place_has_resources(place, "AWS::SES::ConfigurationSet") if count(place.configuration_sets) > 0

# METADATA
# description: |
#   The sends of a data-event type at a place, in two parts judged apart: one event per send
#   API with every field but resources.ARN, and one per resource with resources.ARN alone.
#   A send is recorded when one selector keeps both its API part and its resource part.
send_events(place, type) := {
	"names": [{
		"what": "sends",
		"fields": {
			"eventCategory": known("Data", "data events"),
			"resources.type": known(type, type),
			"eventName": name,
			"eventSource": known("ses.amazonaws.com", "ses.amazonaws.com"),
			"readOnly": known("true", "sends (CloudTrail records them with readOnly true)"),
			"eventType": known("AwsApiCall", "AwsApiCall"),
		},
	} |
		some name in event_names(type)
	],
	# The part per resource is built only where it is read (send_resources): selectors without
	# resources.ARN conditions, the usual case, read only whether there is one.
	"key": place_key(place, type),
	"place": place,
	"type": type,
	"resource_given": resource_given(place, type),
}

# METADATA
# description: The sends' part per resource (resources.ARN alone), one per resource of the place.
send_resources(sends) := resources if {
	resources := send_resources_table[sends.key]
} else := resource_events(sends.place, sends.type)

# Built once per place and type, and only when a selector names resources.ARN or a reason names resources.
send_resources_table := {place_key(place, type): resource_events(place, type) | some place in places; some type in data_event_types}

resource_events(place, type) := [{"what": "sends", "fields": {"resources.ARN": arn}} | some arn in resource_arns(place, type)]

# Whether resource_arns gives a pattern, without building one: it gives one for the type when the
# place has no resources of it, else one per resource whose name and unknowns are given.
resource_given(place, type) if {
	not place_has_resources(place, type)
} else if {
	type == email_identity_type
	some identity in place.identities
	is_array([identity.identity, identity.unknown])
} else if {
	type == "AWS::SES::ConfigurationSet"
	some configuration_set in place.configuration_sets
	is_array([configuration_set.name, configuration_set.unknown])
} else := false

event_names("AWS::SES::Template") := [known(name, name) | some name in template_send_event_names]

event_names(type) := [known(name, name) | some name in send_event_names] if {
	type in {"AWS::SES::EmailIdentity", "AWS::SES::ConfigurationSet"}
}

event_names(type) := [{"kind": "opaque", "text": "its APIs", "reason": sprintf("sescheck does not know the APIs of %s", [type])}] if {
	not resource_paths[type]
}

# A write management event of SES (create or delete an identity, a receipt rule...).
management_event := {
	"what": "SES management write events",
	"fields": {
		"eventCategory": known("Management", "management events"),
		"eventSource": known("ses.amazonaws.com", "ses.amazonaws.com"),
		"readOnly": known("false", "write events (readOnly false)"),
		"eventType": known("AwsApiCall", "AwsApiCall"),
	},
}
