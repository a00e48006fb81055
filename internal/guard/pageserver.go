package guard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// PageServer serves the approval page on a loopback port picked at start.
type PageServer struct {
	server   *http.Server
	listener net.Listener
	origin   string
	done     chan struct{}
}

// StartPageServer listens on 127.0.0.1 on a free port, serves the approval
// page of approvals there and sets their base URL. It serves in stdio mode
// too. Close stops it.
func StartPageServer(approvals *Approvals, logger *slog.Logger) (*PageServer, error) {
	if logger == nil {
		logger = slog.Default()
	}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the approval page on 127.0.0.1: %w", err)
	}
	origin := "http://" + listener.Addr().String()

	server := &PageServer{
		server: &http.Server{
			Handler:           approvals.PageHandler(origin, logger),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       60 * time.Second,
			MaxHeaderBytes:    16 << 10,
		},
		listener: listener,
		origin:   origin,
		done:     make(chan struct{}),
	}
	approvals.SetBaseURL(origin)

	go func() {
		defer close(server.done)
		if err := server.server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("approval page server stopped", "addr", origin, "err", err)
		}
	}()
	logger.Info("approval page listening", "addr", origin)
	return server, nil
}

// Origin returns the page's origin, such as "http://127.0.0.1:41234".
func (s *PageServer) Origin() string { return s.origin }

// Close stops the server, waiting up to the context's deadline for requests
// in flight.
func (s *PageServer) Close(ctx context.Context) error {
	err := s.server.Shutdown(ctx)
	<-s.done
	return err
}
