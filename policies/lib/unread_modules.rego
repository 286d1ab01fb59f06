# METADATA
# description: |
#   Module calls a Terraform configuration input could not read (a remote source, a missing
#   directory, a count or for_each sescheck does not evaluate). Such a module may declare
#   anything, so a verdict that counts on something being absent (no trail, no event
#   destination, no log delivery) is unknown while one exists, naming the module.
# schemas:
#   - input: schema.posture
package sescheck.lib.unread_modules

modules := object.get(input, "unread_modules", [])

# METADATA
# description: |
#   One doubt per unread module: it may declare `what` (for example "a trail that records SES
#   sends"). Empty when every module was read, or for inputs without modules (plans, live).
doubts(what) := {sprintf("%s may declare %s: sescheck cannot read it (%s)", [module.id, what, module.reason]) |
	some module in modules
}

# METADATA
# description: A verdict that counts on absence ("fail", "unknown" or "pass"), unknown instead of fail while a module is unread.
absence_status(status) := "unknown" if {
	status == "fail"
	count(modules) > 0
} else := status
