package a

import (
	"encoding/json"
	"errors"
	"net/http"
)

// ---- a handler that answers with a success status after a dropped call ----

type mediaStore interface{ Delete(name string) error }

type echoContext struct{ w http.ResponseWriter }

func (c echoContext) JSON(code int, v any) error {
	c.w.WriteHeader(code)
	return json.NewEncoder(c.w).Encode(v)
}

type mediaApp struct{ media mediaStore }

// deleteMedia tells the client the file is gone while its removal failed:
// `return c.JSON(http.StatusOK, ...)` is the answer, not a failure.
func (a *mediaApp) deleteMedia(c echoContext, name string) error {
	a.media.Delete(name) // want `error from a.media.Delete is dropped`
	return c.JSON(http.StatusOK, true)
}

// rejectMedia cleans up on its way to an error answer: the dropped error
// would only hide the one it reports.
func (a *mediaApp) rejectMedia(c echoContext, name string) error {
	a.media.Delete(name)
	return errors.New("rejected: " + name)
}
