// Command tool reads a setting file at start-up.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

var settings map[string]any

func init() {
	data, _ := os.ReadFile("settings.json")
	if err := json.Unmarshal(data, &settings); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

func main() {
	// Greeting: "héllo 🙂", then the name from the arguments.
	greeting := "héllo 🙂 " + os.Args[1] // «non-ASCII before the index»
	fields := strings.Fields(os.Args[0])
	fmt.Println(greeting, fields[2])
}
