package cli

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/runner"
)

// This file speaks go vet's tool protocol, so that
// `go vet -vettool=$(command -v failfast) ./...` runs the enabled rules:
// the go command asks the tool for its identity (-V=full, the key of vet's
// result cache), for its flags (-flags), and then runs it once per package
// with a JSON config file naming the package's files and its imports' export
// data and facts. unitchecker does the per-package work; this file chooses
// the analyzers from the .failfast.yaml that governs the package.

// vetInvocation reports whether args are the go command's, run as a
// -vettool: -V=full, -flags, or a single *.cfg file after any flags.
func vetInvocation(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "-V=full", "-flags":
		return len(args) == 1
	}
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") {
		return false
	}
	for _, a := range args[:len(args)-1] {
		if !strings.HasPrefix(a, "-") {
			return false
		}
	}
	return true
}

// runVet answers the go command. For a package it does not return:
// unitchecker.Run exits with vet's status.
func runVet(args []string, stdout, stderr io.Writer) int {
	switch args[0] {
	case "-V=full":
		id, err := vetToolID()
		if err != nil {
			fmt.Fprintf(stderr, "failfast: %v\n", err)
			return exitFailed
		}
		// "devel" makes the go command take the buildID as the tool's
		// identity: it must change with the settings as well as with the
		// binary, or vet would replay results from other settings.
		fmt.Fprintf(stdout, "failfast version devel buildID=%x\n", id)
		return exitClean
	case "-flags":
		// No analyzer flags: settings come from .failfast.yaml.
		fmt.Fprintln(stdout, "[]")
		return exitClean
	}
	cfgFile := args[len(args)-1]
	dir, err := vetPackageDir(cfgFile)
	if err != nil {
		fmt.Fprintf(stderr, "failfast: %v\n", err)
		return exitFailed
	}
	settings, err := settingsFor(dir)
	if err != nil {
		fmt.Fprintf(stderr, "failfast: %v\n", err)
		return exitFailed
	}
	analyzers, err := runner.Analyzers(settings, nil)
	if err != nil {
		fmt.Fprintf(stderr, "failfast: %v\n", err)
		return exitFailed
	}
	unitchecker.Run(cfgFile, analyzers)
	return exitFailed // not reached: Run exits
}

// vetToolID hashes the running binary and the settings file that governs
// the current directory (where the go command runs).
func vetToolID() ([]byte, error) {
	h := sha256.New()
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("-V=full: %w", err)
	}
	bin, err := os.ReadFile(exe)
	if err != nil {
		return nil, fmt.Errorf("-V=full: %w", err)
	}
	h.Write(bin)
	path, err := config.Find(".")
	if err != nil {
		return nil, fmt.Errorf("-V=full: %w", err)
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("-V=full: %w", err)
		}
		fmt.Fprintf(h, "\x00%s\x00", path)
		h.Write(data)
	}
	return h.Sum(nil), nil
}

// vetPackageDir reads the package directory from a go vet config file.
func vetPackageDir(cfgFile string) (string, error) {
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		return "", fmt.Errorf("go vet config: %w", err)
	}
	var cfg unitchecker.Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", fmt.Errorf("go vet config %s: %w", cfgFile, err)
	}
	if cfg.Dir != "" {
		return cfg.Dir, nil
	}
	if len(cfg.GoFiles) > 0 {
		return filepath.Dir(cfg.GoFiles[0]), nil
	}
	return "", fmt.Errorf("go vet config %s names no directory and no files", cfgFile)
}

// settingsFor loads the .failfast.yaml at or above dir (the defaults when
// there is none). Unlike check, a broken file is an error: go vet has no
// way to say "analysed by the defaults instead".
func settingsFor(dir string) (*config.Config, error) {
	path, err := config.Find(dir)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return &config.Config{Rules: map[string]string{}}, nil
	}
	return config.Load(path)
}
