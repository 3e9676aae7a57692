module github.com/failfast-dev/failfast

go 1.26.0

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/tools v0.52.0
)

require (
	golang.org/x/mod v0.43.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)
