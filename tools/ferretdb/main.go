// Command ferretdb runs FerretDB 1.24.2 through its embeddable package.
//
// It exists because `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` cannot be used
// here: the module proxy refuses the version list that go install reads, and a binary built from
// FerretDB's own main module panics without the version.txt its release process generates. The
// flags mirror the real CLI's, so a `ferretdb` on PATH (FERRETDB_BIN) can stand in for it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	handler := flag.String("handler", "sqlite", "backend handler: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URI")
	postgresqlURL := flag.String("postgresql-url", "", "PostgreSQL connection string")
	listenAddr := flag.String("listen-addr", "127.0.0.1:27017", "TCP listen address")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.String("telemetry", "disable", "accepted for compatibility; telemetry is always off")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad --log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresqlURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s (%s)\n", *listenAddr, *handler)
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}
