package a

import (
	"errors"
	"net"
)

// The right operand of !errors.As(...) && runs only when As found nothing:
// dnsErr is still nil there.
func notFoundInverted(err error) bool {
	var dnsErr *net.DNSError
	return !errors.As(err, &dnsErr) && !dnsErr.IsNotFound // want `dnsErr.IsNotFound reads the target of errors.As\(err, &dnsErr\) where errors.As returned false`
}

func notFoundBody(err error) string {
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		return dnsErr.Name // want `dnsErr.Name reads the target of errors.As`
	}
	return ""
}

func notFoundElse(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Op
	} else {
		return opErr.Net // want `opErr.Net reads the target of errors.As`
	}
}

// Read where As returned true: filled.
func notFound(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// A target with a value of its own before As keeps it.
func withDefault(err error) string {
	dnsErr := &net.DNSError{Name: "unknown"}
	if !errors.As(err, &dnsErr) {
		return dnsErr.Name
	}
	return ""
}

// In a loop, an earlier iteration's As may have filled the target.
func lastDNS(errs []error) string {
	var dnsErr *net.DNSError
	for _, err := range errs {
		if !errors.As(err, &dnsErr) && dnsErr != nil {
			return dnsErr.Name
		}
	}
	return ""
}

// Only a method is called: a nil receiver may be fine.
func timeout(err error) bool {
	var dnsErr *net.DNSError
	return !errors.As(err, &dnsErr) || dnsErr.Timeout()
}
