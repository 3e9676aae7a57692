package a

import "strings"

// ---- a named result ranged over, returned with true ----

type route struct{ location, target string }

type routes struct{ byHost map[string][]*route }

// get returns the first route under path: vr is an element on the return
// with true, and the bare returns give false.
func (r *routes) get(host, path string) (vr *route, found bool) {
	list, ok := r.byHost[host]
	if !ok {
		return
	}
	for _, vr = range list {
		if strings.HasPrefix(path, vr.location) {
			return vr, true
		}
	}
	return
}

func target(r *routes, host, path string) string {
	vr, ok := r.get(host, path)
	if !ok {
		return ""
	}
	return vr.target
}

// lookup reports the last route it looked at even when none matched:
// the bare return at the end gives vr, the last element, with false, and
// a missing host gives nil with true.
func (r *routes) lookup(host string) (vr *route, found bool) { // want lookup:`mayNil\[0\]`
	list, ok := r.byHost[host]
	if !ok {
		return nil, true
	}
	for _, vr = range list {
		if vr.location == "/" {
			return vr, true
		}
	}
	return vr, false
}

func rootTarget(r *routes, host string) string {
	vr, ok := r.lookup(host)
	if !ok {
		return ""
	}
	return vr.target // want `vr is used as if it were not nil`
}
