package a

import (
	"fmt"

	"github.com/spf13/pflag"
)

// A flag look-up fails only for a flag the program did not define: the
// branch never runs in a program that runs, and there is no cause to lose.
func verbose(fs *pflag.FlagSet) (bool, error) {
	v, err := fs.GetBool("verbose")
	if err != nil {
		return false, fmt.Errorf("reading --verbose: %v", err)
	}
	return v, nil
}

// Setting a flag from input fails on the input: its cause matters.
func setVerbose(fs *pflag.FlagSet, value string) error {
	if err := fs.Set("verbose", value); err != nil {
		return fmt.Errorf("setting --verbose: %v", err) // want `fmt.Errorf formats the error err \(from fs.Set\) with %v`
	}
	return nil
}
