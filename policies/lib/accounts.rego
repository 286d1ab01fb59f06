# METADATA
# description: |
#   Which account a posture object is in, and whether two objects share one. An account is a
#   12-digit id, or null when the input does not name it: null alone is the input's one unnamed
#   account (a plan's environment credentials); null with unknown.account is an account that
#   may be another (a provider configuration with credentials of its own, a bucket whose owner
#   could not be read). Objects with the same unknown.account reason share their account.
# schemas:
#   - input: schema.posture
package sescheck.lib.accounts

# METADATA
# description: Whether two objects are in the same account (same, different, unknown).
relation(a, b) := "same" if {
	a.account == b.account
	doubt(a) == doubt(b)
} else := "different" if {
	is_string(a.account)
	is_string(b.account)
} else := "unknown"

# Why the account of an object may be another than the input's unnamed one ("" when it may not).
doubt(thing) := object.get(object.get(thing, "unknown", {}), "account", "")

# METADATA
# description: The account of an object in words, such as account 111122223333.
label(thing) := sprintf("account %s", [thing.account]) if {
	is_string(thing.account)
} else := sprintf("an unnamed account (%s)", [doubt(thing)]) if {
	doubt(thing) != ""
} else := "the input's unnamed account"
