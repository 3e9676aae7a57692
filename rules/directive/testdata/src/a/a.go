package a

func f() error { return nil }

func calls() {
	f() // want "call"
	f() //failfast:ignore demo-rule the test says so
	f() //nolint
	f() // nolint
	f() //nolint // a reason after it
	f() //nolint:demo-rule
	f() // nolint: demo-rule
	f() //nolint:gosec,DEMOPEER // a reason
	f() //nolint:gosec // want "call"
	f() //nolint:all
	f() //nolint:failfast
	f() //nolint:
	f() //nolintx // want "call"
	f() /* nolint */ // want "call"

	//failfast:ignore demo-rule a directive alone covers the next line
	f()
	f() // want "call"

	//nolint:demopeer // alone above a statement: the whole statement
	func() {
		f()
	}()
	f() // want "call"
}

// staticcheck's lint:ignore: named checks, a reason, its line or the next.
func staticcheckStyle() {
	f() //lint:ignore demopeer the peer's name, with a reason
	f() //lint:ignore DEMO-RULE,SA4006 the rule among others
	f() //lint:ignore failfast every rule
	//lint:ignore demopeer
	f() // want "call"
	f() //lint:ignore SA4006 another check only // want "call"
	f() //lint:ignorex demopeer not the directive // want "call"

	//lint:ignore demopeer alone above: the next line
	f()
	f() // want "call"
}

//nolint:demo-rule // above a declaration: all of it
func covered() {
	f()
	f()
}

func uncovered() {
	f() // want "call"
}
