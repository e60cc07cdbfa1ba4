package main

// errorReply is what every command prints with --json when it fails
// (DESIGN.md: `{"success": false, "error": "...", "code": "..."}`); code
// is errorCode's name for the error. verify and project verify print
// their own verifyReply instead when a check failed.
type errorReply struct {
	Success bool   `json:"success"` // always false
	Error   string `json:"error"`
	Code    string `json:"code"` // usage, config, access_denied, bad_name, connection_failed, not_found, busy, not_confirmed, interrupted, failed
}
