package a

// A diff type whose Empty answers true for a nil receiver: where Empty is
// false the diff is not nil.
type OpsDiff struct {
	Added []string
}

type RouteDiff struct {
	Ops *OpsDiff
}

func (d *RouteDiff) Empty() bool { // want Empty:`nilSafe` Empty:`trueOnNil`
	return d == nil || d.Ops == nil || len(d.Ops.Added) == 0
}

func (d *RouteDiff) Changed() bool { // want Changed:`nilSafe` Changed:`trueOnNil`
	if d == nil {
		return true
	}
	return d.Ops != nil
}

func (d *RouteDiff) Size() int {
	return len(d.Ops.Added)
}

var routeDiffs = map[string]*RouteDiff{}

func routeDiff(path string) *RouteDiff { // want routeDiff:`mayNil\[0\]`
	return routeDiffs[path]
}

func opsAdded(path string) []string {
	d := routeDiff(path)
	if d.Empty() || d.Ops.Added == nil {
		return nil
	}
	return d.Ops.Added
}

func opsChanged(path string) int {
	d := routeDiff(path)
	if !d.Changed() {
		return len(d.Ops.Added)
	}
	return 0
}

func opsSize(path string) int {
	d := routeDiff(path)
	return d.Size() // want `the result of routeDiff\(...\) is used as if it were not nil|d is used as if it were not nil`
}

// A bare return of a named result says nothing of a nil receiver.
func (d *RouteDiff) Unchanged() (same bool) { // want Unchanged:`nilSafe`
	return
}
