// Package fatalhelper is a CLI whose logger's fatal method exits: a branch
// that ends in it does not fall through.
package fatalhelper

import (
	"log"
	"os"
	"strconv"
)

type logger struct{ verbose bool }

func (l *logger) fatal(args ...any) {
	log.Println(args...)
	os.Exit(1)
}

func (l *logger) warn(args ...any) {
	log.Println(args...)
}

var lg = &logger{}

// limit stops the program when the argument does not parse.
func limit(arg string) int {
	n, err := strconv.ParseUint(arg, 10, 64)
	if err != nil {
		lg.fatal("error: can't read limit argument N")
	}
	return int(n)
}

// steps only warns, and then uses the failed parse's zero.
func steps(arg string) int {
	n, err := strconv.ParseUint(arg, 10, 64)
	if err != nil { // want `error from strconv.ParseUint is only logged`
		lg.warn("error: can't read steps argument")
	}
	return int(n)
}
