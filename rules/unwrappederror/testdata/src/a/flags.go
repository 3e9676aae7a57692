package a

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

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

// The cause's text reaches the new error through a variable: the message
// says so, and the error itself is still lost.
func parseLevel(b []byte) (int, error) {
	n, err := strconv.Atoi(string(b))
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), "\n", " ")
		return 0, errors.New(msg) // want `the new error keeps only the text of err \(from strconv.Atoi\), through msg, not the error itself`
	}
	return n, nil
}
