package binlog

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
)

// ReplayOptions say which part of the archive to apply, and where.
type ReplayOptions struct {
	Files    []string // local log files in order, first and last included
	StartPos uint64   // position in Files[0] to start at (a backup's coordinates)
	StopPos  uint64   // exclusive stop in the last file; 0: to its end
	Source   string   // the database whose changes are replayed
	Target   string   // where they go (--into); Source when empty
	Conn     Conn
	// Done, when set, is called with the number of transactions applied
	// so far, at most once per transaction (progress).
	Done func(n int64)
}

// Replay applies the changes to Source in the given range to Target, in
// log order: mariadb-binlog keeps only Source's events (--database) and
// renames it (--rewrite-db); its output goes to the mariadb client on
// Target. The GTIDs of the original transactions are dropped, so the
// replayed ones get new GTIDs of the server they land on and never
// collide with the originals in its own log.
func Replay(ctx context.Context, opts ReplayOptions) (int64, error) {
	if len(opts.Files) == 0 {
		return 0, nil
	}
	tool, err := Tool()
	if err != nil {
		return 0, err
	}
	client, err := Client()
	if err != nil {
		return 0, err
	}
	target := opts.Target
	if target == "" {
		target = opts.Source
	}
	args := []string{"--no-defaults", "--database=" + opts.Source, "--skip-gtid-strict-mode"}
	if target != opts.Source {
		// mariadb-binlog filters on the original name, then renames
		args = append(args, "--rewrite-db="+opts.Source+"->"+target)
	}
	if opts.StartPos > 0 {
		args = append(args, "--start-position="+strconv.FormatUint(opts.StartPos, 10))
	}
	if opts.StopPos > 0 {
		args = append(args, "--stop-position="+strconv.FormatUint(opts.StopPos, 10))
	}
	args = append(args, opts.Files...)
	defaults, remove, err := defaultsFile(opts.Conn)
	if err != nil {
		return 0, err
	}
	defer remove()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dec := exec.CommandContext(ctx, tool, args...)
	dec.Env = utcEnv()
	var decErr, cliErr bytes.Buffer
	dec.Stderr = &decErr
	decOut, err := dec.StdoutPipe()
	if err != nil {
		return 0, err
	}
	cli := exec.CommandContext(ctx, client, "--defaults-file="+defaults, "--binary-mode", "--batch", target)
	cli.Stderr, cli.Stdout = &cliErr, io.Discard
	cliIn, err := cli.StdinPipe()
	if err != nil {
		return 0, err
	}
	if err := cli.Start(); err != nil {
		return 0, fmt.Errorf("replay: %s: %w", client, err)
	}
	if err := dec.Start(); err != nil {
		cliIn.Close()
		cli.Wait()
		return 0, fmt.Errorf("replay: %s: %w", tool, err)
	}
	var n atomic.Int64
	ferr := filterReplay(decOut, cliIn, &n, opts.Done)
	cliIn.Close()
	if ferr != nil {
		io.Copy(io.Discard, decOut)
	}
	derr := dec.Wait()
	cerr := cli.Wait()
	switch {
	case cerr != nil:
		return n.Load(), fmt.Errorf("replay into %q stopped after %d transactions: the server refused an event: %s", target, n.Load(), firstLine(cliErr.String(), cerr))
	case derr != nil:
		return n.Load(), fmt.Errorf("replay: %s %s: %s", filepath.Base(tool), strings.Join(baseNames(opts.Files), " "), firstLine(decErr.String(), derr))
	case ferr != nil:
		return n.Load(), fmt.Errorf("replay into %q: %w", target, ferr)
	}
	return n.Load(), ctx.Err()
}

// gtidLines are the session settings that would give a replayed
// transaction its original GTID (and need SUPER); dropping them lets the
// server assign new ones.
var gtidLines = [][]byte{
	[]byte("/*M!100001 SET @@session.gtid_domain_id="),
	[]byte("/*M!100001 SET @@session.server_id="),
	[]byte("/*M!100001 SET @@session.gtid_seq_no="),
	[]byte("/*!100001 SET @@session.gtid_domain_id="),
	[]byte("/*!100001 SET @@session.server_id="),
	[]byte("/*!100001 SET @@session.gtid_seq_no="),
	[]byte("/*M!100101 SET @@session.skip_parallel_replication="),
	[]byte("/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE="),
}

// filterReplay copies the decoder's SQL to the client, dropping the GTID
// settings that follow each GTID event header, and counts transactions.
func filterReplay(r io.Reader, w io.Writer, n *atomic.Int64, done func(int64)) error {
	br := bufio.NewReaderSize(r, 1<<20)
	bw := bufio.NewWriterSize(w, 1<<20)
	afterGTID := false
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) { // a long BINLOG or statement line
			if _, werr := bw.Write(line); werr != nil {
				return werr
			}
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				if _, werr := bw.Write(line); werr != nil {
					return werr
				}
			}
			afterGTID = false
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			continue
		}
		if len(line) > 0 {
			drop := false
			if line[0] == '#' {
				afterGTID = bytes.Contains(line, []byte("\tGTID "))
				if afterGTID {
					v := n.Add(1)
					if done != nil {
						done(v)
					}
				}
			} else if afterGTID || bytes.HasPrefix(line, []byte("/*!50530")) {
				for _, g := range gtidLines {
					if bytes.HasPrefix(line, g) {
						drop = true
						break
					}
				}
			}
			if !drop {
				if _, werr := bw.Write(line); werr != nil {
					return werr
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	return bw.Flush()
}

func firstLine(s string, err error) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return err.Error()
	}
	lines := strings.Split(s, "\n")
	for _, l := range lines { // the client prints the statement between dashes, then ERROR
		if strings.HasPrefix(l, "ERROR") {
			return l
		}
	}
	return lines[len(lines)-1]
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}
