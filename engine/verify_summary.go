package engine

import "fmt"

// Counts says how many checks passed, failed, and were only information
// (an info line is neither passed nor failed).
func (r VerifyResult) Counts() (passed, failed, info int) {
	for _, c := range r.Checks {
		switch {
		case c.Info:
			info++
		case c.OK:
			passed++
		default:
			failed++
		}
	}
	return passed, failed, info
}

// Summary is "N checks passed" plus ", M for information only" when some
// lines compared nothing that could fail.
func (r VerifyResult) Summary() string {
	passed, _, info := r.Counts()
	s := fmt.Sprintf("%d checks passed", passed)
	if info > 0 {
		s += fmt.Sprintf(", %d for information only", info)
	}
	return s
}
