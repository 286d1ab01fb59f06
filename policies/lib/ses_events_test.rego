package sescheck.lib.ses_events_test

import data.sescheck.lib.ses_events

test_v1_and_v2_names_normalize_to_v2 if {
	ses_events.normalize("renderingFailure") == "RENDERING_FAILURE"
	ses_events.normalize("RENDERING_FAILURE") == "RENDERING_FAILURE"
	ses_events.normalize("deliveryDelay") == "DELIVERY_DELAY"
	ses_events.normalize("send") == "SEND"
	ses_events.normalize("SUBSCRIPTION") == "SUBSCRIPTION"
}

test_unknown_name_stays_as_written if {
	ses_events.normalize("nonsense") == "nonsense"
}

test_default_required_types_are_v2 if {
	ses_events.required_event_types == {"SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "RENDERING_FAILURE", "DELIVERY_DELAY"}
}

test_mixed_settings_names if {
	types := ses_events.required_event_types with data.settings.ses.required_event_types as ["renderingFailure", "RENDERING_FAILURE", "bounce"]
	types == {"RENDERING_FAILURE", "BOUNCE"}
}

test_labels if {
	ses_events.label({"id": "x", "name": "main"}) == "main"
	ses_events.label({"id": "x", "identity": "example.com", "name": null}) == "example.com"
	ses_events.label({"id": "x", "name": null}) == "x"
}

test_default_configuration_set_by_id if {
	set := {"account": null, "region": "eu-west-1", "location": null, "unknown": {}, "api": "v2", "tls_policy": "REQUIRE", "event_destinations": []}
	main := object.union(set, {"id": "cs.main", "name": "main"})
	other := object.union(set, {"id": "cs.other", "name": "other"})
	sets := {"configuration_sets": [main, other]}
	ses_events.default_configuration_set({"default_configuration_set": "cs.other"}) == other with input as sets
	not ses_events.default_configuration_set({"default_configuration_set": "cs.missing"}) with input as sets
	not ses_events.default_configuration_set({"default_configuration_set": null}) with input as sets

	# Repeated ids (not schema-valid) fall back to a scan.
	ses_events.default_configuration_set({"default_configuration_set": "cs.main"}) == main with input as {"configuration_sets": [main, main, other]}
}
