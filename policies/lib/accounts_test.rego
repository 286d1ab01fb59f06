package sescheck.lib.accounts_test

import data.sescheck.lib.accounts

named(account) := {"account": account, "unknown": {}}

unnamed(reason) := {"account": null, "unknown": {"account": reason}}

plain := {"account": null, "unknown": {}}

test_named_accounts if {
	accounts.relation(named("111122223333"), named("111122223333")) == "same"
	accounts.relation(named("111122223333"), named("444455556666")) == "different"
}

test_the_input_s_one_unnamed_account if {
	accounts.relation(plain, plain) == "same"
	accounts.relation(plain, {"account": null}) == "same"
	accounts.label(plain) == "the input's unnamed account"
}

test_an_unnamed_account_cannot_be_told_from_a_named_one if {
	accounts.relation(plain, named("111122223333")) == "unknown"
	accounts.relation(named("111122223333"), unnamed("provider aws.prod has a profile")) == "unknown"
	accounts.relation(plain, unnamed("provider aws.prod has a profile")) == "unknown"
	accounts.label(unnamed("owner not read")) == "an unnamed account (owner not read)"
}

test_the_same_credentials_share_the_account if {
	accounts.relation(unnamed("provider aws.prod has a profile"), unnamed("provider aws.prod has a profile")) == "same"
	accounts.relation(unnamed("provider aws.prod has a profile"), unnamed("provider aws.dev has a profile")) == "unknown"
}
