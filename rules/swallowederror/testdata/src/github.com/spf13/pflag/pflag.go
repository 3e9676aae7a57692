// Package pflag is a stand-in for github.com/spf13/pflag: a flag set
// whose getters fail only for a flag the program did not define.
package pflag

import "errors"

type FlagSet struct{ bools map[string]bool }

func (f *FlagSet) GetBool(name string) (bool, error) {
	v, ok := f.bools[name]
	if !ok {
		return false, errors.New("flag accessed but not defined: " + name)
	}
	return v, nil
}

func (f *FlagSet) Set(name, value string) error {
	if value != "true" && value != "false" {
		return errors.New("invalid bool " + value)
	}
	return nil
}
