package directive

import (
	"go/parser"
	"go/token"
	"testing"
)

func TestIsTestCode(t *testing.T) {
	for _, tc := range []struct {
		pkg, file string
		want      bool
	}{
		{"server", "/m/server/server_test.go", true},
		{"server_test", "/m/server/x_test.go", true},
		{"caddytest", "/m/caddytest/caddytest.go", true},
		{"testutil", "/m/internal/testutil/fixtures.go", true},
		{"labels", "/m/model/labels/test_utils.go", true},
		{"labels", "/m/model/labels/labels.go", false},
		{"httptest", "/m/net/http/httptest/server.go", true},
		{"latest", "/m/internal/latest/latest.go", false},
		{"attest", "/m/attest/attest.go", false},
		{"testgen", "/m/testgen/gen.go", false},
		{"main", "/m/cmd/latest/main.go", false},
	} {
		if got := isTestCode(tc.pkg, tc.file); got != tc.want {
			t.Errorf("isTestCode(%q, %q) = %v, want %v", tc.pkg, tc.file, got, tc.want)
		}
	}
}

func TestImportsTestFramework(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"package tests\nimport . \"github.com/onsi/gomega\"\n", true},
		{"package e2e\nimport (\n\t\"github.com/stretchr/testify/require\"\n)\n", true},
		{"package server\nimport \"testing\"\n", false},
		{"package server\nimport \"net/http\"\n", false},
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", tc.src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		if got := importsTestFramework(f); got != tc.want {
			t.Errorf("importsTestFramework(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
}
