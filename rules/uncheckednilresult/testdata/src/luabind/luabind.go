// Package luabind binds a Go type to Lua the way gopher-lua's users do: the
// check helper's return after ArgError is never reached.
package luabind

import lua "github.com/yuin/gopher-lua"

type Message struct{ Subject string }

func checkMessage(ls *lua.LState) *Message {
	ud := ls.CheckUserData(1)
	if m, ok := ud.Value.(*Message); ok {
		return m
	}
	ls.ArgError(1, "message expected")
	return nil
}

func subject(ls *lua.LState) string {
	return checkMessage(ls).Subject
}
