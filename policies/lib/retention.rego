# METADATA
# description: |
#   The retention bounds of the settings (retention.min_days and retention.max_days; either may
#   be null to drop that bound) and how a number of days stands against them.
# schemas:
#   - input: schema.posture
package sescheck.lib.retention

min_days := object.get(data.settings.retention, "min_days", null)

max_days := object.get(data.settings.retention, "max_days", null)

below_min(days) if {
	min_days != null
	days < min_days
}

above_max(days) if {
	max_days != null
	days > max_days
}

# METADATA
# description: What keeping events this many days breaks, in words; undefined within the bounds.
bound_problem(days) := sprintf("keeps its events %d days, fewer than the %d-day minimum", [days, min_days]) if {
	below_min(days)
} else := sprintf("keeps its events %d days, more than the %d-day maximum", [days, max_days]) if {
	above_max(days)
}
