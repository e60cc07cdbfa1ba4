package main

import (
	"errors"
	"net"
)

// isConnectionFailure tells a server that could not be reached (wrong
// socket, refused port, unknown host) from a missing file, so --json
// says "connection_failed" rather than "not_found".
func isConnectionFailure(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &op) || errors.As(err, &dns)
}
