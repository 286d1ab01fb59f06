# METADATA
# description: |
#   Builds findings from a rule's own METADATA annotations, so a rule's id, title,
#   severity and remediation are written once, beside the rule.
# schemas:
#   - input: schema.posture
package sescheck.lib.result

# METADATA
# description: |
#   The rule facts from rego.metadata.chain() called in a rule package:
#   id, title, description, severity, remediation and documentation links.
metadata(chain) := {
	"id": ann.custom.id,
	"title": ann.title,
	"description": object.get(ann, "description", ""),
	"severity": ann.custom.severity,
	"remediation": object.get(ann.custom, "remediation", ""),
	"links": [link.ref | some link in object.get(ann, "related_resources", [])],
} if {
	some entry in chain
	ann := entry.annotations
	ann.custom.id
}

# METADATA
# description: |
#   What a rule judged: a posture object (trail, bucket...) or a scope built by scope().
target(subject) := {
	"resource": subject.id,
	"region": object.get(subject, "region", null),
	"account": object.get(subject, "account", null),
	"location": object.get(subject, "location", null),
}

# METADATA
# description: A region of an account as something a rule judges (aws://ACCOUNT/REGION).
scope(account, region) := {
	"id": sprintf("aws://%s/%s", [account_label(account), region]),
	"region": region,
	"account": account,
	"location": null,
}

account_label(account) := account if account != null

account_label(null) := "default"

# METADATA
# description: A failing finding of the rule described by meta about subject.
fail(meta, subject, message) := finding(meta, subject, "fail", message)

# METADATA
# description: The rule could not decide; message says which value was unknown.
unknown(meta, subject, message) := finding(meta, subject, "unknown", message)

finding(meta, subject, status, message) := object.union(target(subject), {
	"rule_id": meta.id,
	"title": meta.title,
	"severity": meta.severity,
	"status": status,
	"message": message,
	"remediation": meta.remediation,
})

# METADATA
# description: |
#   The finding a verdict gives: its status ("fail" or "unknown") with the message the rule
#   words for that status (messages, keyed by status); none for "pass".
from_verdict(meta, subject, verdict, messages) := finding(meta, subject, verdict.status, messages[verdict.status]) if {
	verdict.status in {"fail", "unknown"}
}

# METADATA
# description: |
#   The verdict on one field of a posture object: unknown (with the input's reason) while the
#   value is unknown, else fail when fails is true, else pass.
field_verdict(subject, field, fails) := {"status": "unknown", "reason": reason} if {
	reason := object.get(object.get(subject, "unknown", {}), field, null)
	reason != null
} else := {"status": "fail", "reason": ""} if {
	fails == true
} else := {"status": "pass", "reason": ""}
