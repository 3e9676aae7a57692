// Package lua stands in for github.com/yuin/gopher-lua: ArgError raises a
// Lua error, a panic the interpreter recovers.
package lua

type LState struct{}

type LUserData struct{ Value any }

func (ls *LState) ArgError(n int, message string) { panic(message) }

func (ls *LState) CheckUserData(n int) *LUserData { return &LUserData{} }
