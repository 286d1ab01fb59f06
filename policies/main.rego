# METADATA
# description: |
#   The one entrypoint: gathers every rule's findings and the targets each rule judged.
#   Rules live in packages data.sescheck.rules.<group>.<rule>; severities may be
#   overridden in settings (severities: {RULE-ID: level}).
# schemas:
#   - input: schema.posture
package sescheck.main

# Each rule package's metadata, keyed by its path. Only the metadata, findings and checked rules
# of a package are referenced, never the whole package: evaluating a package as a document would
# also evaluate every other rule in it (and, under opa test, every test package beside it).
rules[group][name] := meta if {
	some group, name
	meta := data.sescheck.rules[group][name].metadata
	meta.id
}

severity(meta) := object.get(object.get(data.settings, "severities", {}), meta.id, meta.severity)

# The group is the package path's (data.sescheck.rules.<group>.<rule>, policies/rules/<group>/).
catalog := sort_by_id([object.union(meta, {"group": group, "severity": severity(meta)}) |
	some group, name
	meta := rules[group][name]
])

# Arrays, not sets: each rule's own set already holds a finding once, and the rule id or severity
# added here keeps them apart; a set would hash every whole finding and target again (the reporters
# sort and dedupe what they show).
findings := [object.union(finding, {"severity": severity(meta)}) |
	some group, name
	meta := rules[group][name]
	some finding in data.sescheck.rules[group][name].findings
]

# Each rule's targets as the rule gives them, under its id: adding the id to every target here
# built a new object per target and made the result larger by an id per target (the engine,
# src/engine/evaluate.ts, adds it as it reads the result).
checked := [{"rule_id": meta.id, "targets": data.sescheck.rules[group][name].checked} |
	some group, name
	meta := rules[group][name]
]

# The catalog is its own entrypoint: evaluated once per scan, not once per posture document.
report := {
	"findings": findings,
	"checked": checked,
}

sort_by_id(items) := [item |
	some id in sort([i.id | some i in items])
	some item in items
	item.id == id
]
