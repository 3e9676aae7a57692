// Package ginapp reads what its auth middleware stored in gin's context.
package ginapp

import "github.com/gin-gonic/gin"

type Claims struct{ UID int64 }

// WebContext is the handlers' context.
type WebContext struct{ *gin.Context }

// GetTokenClaims returns the claims the auth middleware stored.
func (c *WebContext) GetTokenClaims() *Claims {
	claims, exists := c.Get("claims")
	if !exists {
		return nil
	}
	return claims.(*Claims)
}

func uid(c *WebContext) int64 {
	return c.GetTokenClaims().UID // the middleware's business
}
