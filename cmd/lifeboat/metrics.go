package main

import (
	"context"
	"flag"
)

// cmdMetrics writes the Prometheus text format to stdout, or atomically
// to --output FILE for node_exporter's textfile collector.
func cmdMetrics(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("metrics", flag.ContinueOnError)
	output := fs.String("output", "", "write to this file atomically (a .prom file in the textfile collector's directory)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("metrics takes no arguments; use --output FILE")
	}
	if *output == "" {
		return e.eng.WriteMetrics(e.stdout)
	}
	return e.eng.WriteMetricsFile(*output)
}
