// Added to errors through an overlay by TestNoImportCycle: log/slog, log,
// fmt and runtime/debug all import errors, so no logging fix can be
// offered here.

package errors

func failfastPanics(f func()) (b bool) {
	defer func() {
		if x := recover(); x != nil {
			b = true
		}
	}()
	f()
	return false
}
