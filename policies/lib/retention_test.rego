package sescheck.lib.retention_test

import data.sescheck.lib.retention

test_days_against_the_bounds if {
	retention.bound_problem(30) == "keeps its events 30 days, fewer than the 35-day minimum" with data.settings.retention as {"min_days": 35, "max_days": 540}
	retention.bound_problem(600) == "keeps its events 600 days, more than the 540-day maximum" with data.settings.retention as {"min_days": 35, "max_days": 540}
	not retention.bound_problem(400) with data.settings.retention as {"min_days": 35, "max_days": 540}
}

test_a_null_bound_is_no_bound if {
	not retention.bound_problem(1) with data.settings.retention as {"min_days": null, "max_days": 540}
	not retention.above_max(36500) with data.settings.retention as {"min_days": 35, "max_days": null}
}
