# METADATA
# description: |
#   The one entrypoint: gathers every rule's findings and the targets each rule judged.
#   Rules live in packages data.sescheck.rules.<group>.<rule>; severities may be
#   overridden in settings (severities: {RULE-ID: level}).
package sescheck.main

rule_packages contains rule if {
	some group, name
	rule := data.sescheck.rules[group][name]
	rule.metadata.id
}

severity(meta) := object.get(object.get(data.settings, "severities", {}), meta.id, meta.severity)

catalog := sort_by_id([object.union(rule.metadata, {"severity": severity(rule.metadata)}) |
	some rule in rule_packages
])

findings contains object.union(finding, {"severity": severity(rule.metadata)}) if {
	some rule in rule_packages
	some finding in rule.findings
}

checked contains object.union(target, {"rule_id": rule.metadata.id}) if {
	some rule in rule_packages
	some target in rule.checked
}

report := {
	"findings": findings,
	"checked": checked,
	"rules": catalog,
}

sort_by_id(items) := [item |
	some id in sort([i.id | some i in items])
	some item in items
	item.id == id
]
