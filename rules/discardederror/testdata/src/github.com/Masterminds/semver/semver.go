// Package semver stands in for github.com/Masterminds/semver: parsers of
// their argument alone.
package semver

import "errors"

type Constraints struct{}

func (c *Constraints) Check(v *Version) bool { return v.s != "" }

type Version struct{ s string }

var errEmpty = errors.New("empty")

func NewConstraint(c string) (*Constraints, error) {
	if c == "" {
		return nil, errEmpty
	}
	return &Constraints{}, nil
}

func NewVersion(v string) (*Version, error) {
	if v == "" {
		return nil, errEmpty
	}
	return &Version{s: v}, nil
}
