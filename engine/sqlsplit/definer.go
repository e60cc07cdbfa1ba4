package sqlsplit

// Definer finds the DEFINER=user@host clause at the head of a CREATE
// statement (view, routine, trigger, event). start and end delimit the
// clause in sql, for removal; user and host are unquoted. CURRENT_USER
// yields user "CURRENT_USER" and an empty host.
func Definer(sql []byte) (user, host string, start, end int, ok bool) {
	lx := lexer{b: sql}
	for n := 0; n < 40; n++ {
		k, t := lx.next()
		if k == tEOF {
			return "", "", 0, 0, false
		}
		if k != tWord || upper(t) != "DEFINER" {
			continue
		}
		start = lx.last
		if !lx.punct('=') {
			continue
		}
		_, u := lx.next()
		user = string(u)
		if lx.punct('(') {
			lx.punct(')')
		}
		if lx.punct('@') {
			_, h := lx.next()
			host = string(h)
		}
		return user, host, start, lx.i, true
	}
	return "", "", 0, 0, false
}
