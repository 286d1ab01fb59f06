# Three-valued logic: the answers yes, no, partial and unknown, combined as CloudTrail combines
# conditions (ANDed) and selectors (ORed), and the statuses a verdict takes from them.
package sescheck.lib.cloudtrail

# Selectors are ORed: one that keeps every event is enough, and "partial" alone is not "yes".
any_of(answers) := "yes" if {
	"yes" in answers
} else := "unknown" if {
	"unknown" in answers
} else := "no"

# Conditions are ANDed: one that drops the events drops them; one that keeps only some makes the
# whole keep only some, whatever an unknown one does.
all_of(answers) := "no" if {
	"no" in answers
} else := "partial" if {
	"partial" in answers
} else := "unknown" if {
	"unknown" in answers
} else := "yes"

negation := {"yes": "no", "no": "yes", "unknown": "unknown"}

# A place passes when one trail records every event, is unknown while one may.
verdict_status(answers) := "pass" if {
	"yes" in answers
} else := "unknown" if {
	"unknown" in answers
} else := "fail"

# [records, covers] pairs: a pass needs one trail that does both.
coverage_status(pairs) := "pass" if {
	["yes", "yes"] in pairs
} else := "unknown" if {
	some [records, covered] in pairs
	records in {"yes", "unknown"}
	covered in {"yes", "unknown"}
} else := "fail"
