package mcpguard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/rational-ai/rational-mcp/internal/guard"
)

// The ways an approval link reaches the user, the values of
// --approval-link.
const (
	// LinkInResult puts the approval URL in the tool result, for the agent
	// to show. An agent that can make local HTTP requests can then open
	// the page and approve by itself.
	LinkInResult = "result"
	// LinkBrowser has the server open the approval URL in the user's
	// browser with the opener command. The agent receives only the id.
	LinkBrowser = "browser"
	// LinkLog writes the approval URL to the server's log only. The agent
	// receives only the id.
	LinkLog = "log"
)

// openerTimeout bounds the wait for the opener command to exit. An opener
// that runs longer, such as a browser started in the foreground, is left
// running and counts as a success.
const openerTimeout = 5 * time.Second

// linkDelivery sends approval links to the user in one of the Link modes.
type linkDelivery struct {
	mode   string
	opener []string // command and arguments; the URL is appended
	logger *slog.Logger
}

// newLinkDelivery checks mode and opener. An empty mode means LinkInResult
// and an empty opener the platform's default (xdg-open, open or rundll32).
func newLinkDelivery(mode, opener string, logger *slog.Logger) (*linkDelivery, error) {
	if err := checkLinkMode(mode); err != nil {
		return nil, err
	}
	if mode == "" {
		mode = LinkInResult
	}

	delivery := &linkDelivery{mode: mode, logger: logger}
	if mode == LinkLog && !logger.Enabled(context.Background(), slog.LevelWarn) {
		return nil, errors.New("--approval-link log writes approval links at level warn, which the log level hides; use --log-level warn or lower, or another --approval-link")
	}
	if mode == LinkBrowser {
		delivery.opener = strings.Fields(opener)
		if len(delivery.opener) == 0 {
			delivery.opener = defaultOpener()
		}
		if _, err := exec.LookPath(delivery.opener[0]); err != nil {
			return nil, fmt.Errorf("invalid --approval-opener: %q cannot be run (%v); install it or name another command that opens a URL in the user's browser", delivery.opener[0], err)
		}
	}
	return delivery, nil
}

// checkLinkMode rejects a mode that is not empty or one of the Link modes.
func checkLinkMode(mode string) error {
	switch mode {
	case "", LinkInResult, LinkBrowser, LinkLog:
		return nil
	}
	return fmt.Errorf("invalid --approval-link %q: use result, browser or log", mode)
}

// defaultOpener returns the command that opens a URL in the user's browser
// on this platform.
func defaultOpener() []string {
	switch runtime.GOOS {
	case "darwin":
		return []string{"open"}
	case "windows":
		return []string{"rundll32", "url.dll,FileProtocolHandler"}
	default:
		return []string{"xdg-open"}
	}
}

// hidesURL reports whether the agent must not receive the approval URL.
func (d *linkDelivery) hidesURL() bool {
	return d != nil && d.mode != LinkInResult
}

// deliver sends the approval link of pending to the user, and returns where
// it went, for the agent: "browser" or "log". It returns an error when the
// browser could not be opened; the link is then written to the log too.
func (d *linkDelivery) deliver(ctx context.Context, tool string, pending *guard.PendingApproval) (string, error) {
	fingerprint := guard.Fingerprint(pending.ID)
	if d.mode == LinkBrowser {
		err := d.open(pending.URL)
		if err == nil {
			d.logger.InfoContext(ctx, "approval page opened in the browser", "tool", tool, "approval", fingerprint)
			return LinkBrowser, nil
		}
		d.logger.WarnContext(ctx, "approval page could not be opened in the browser", "tool", tool, "approval", fingerprint, "err", err)
		d.writeLink(ctx, tool, pending)
		return LinkLog, err
	}

	d.writeLink(ctx, tool, pending)
	return LinkLog, nil
}

// writeLink writes the approval URL to the server's log, for the user.
func (d *linkDelivery) writeLink(ctx context.Context, tool string, pending *guard.PendingApproval) {
	d.logger.WarnContext(ctx, "approval needed: open this link in a browser to approve or reject",
		"tool", tool, "approval", guard.Fingerprint(pending.ID), "url", pending.URL,
		"expiresAt", pending.ExpiresAt.UTC().Format(time.RFC3339))
}

// open runs the opener command with url as its last argument, without a
// shell, and waits up to openerTimeout for it to exit.
func (d *linkDelivery) open(url string) error {
	command := exec.Command(d.opener[0], append(d.opener[1:len(d.opener):len(d.opener)], url)...)
	if err := command.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", d.opener[0], err)
	}

	done := make(chan error, 1)
	go func() { done <- command.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s failed: %w", d.opener[0], err)
		}
		return nil
	case <-time.After(openerTimeout):
		return nil
	}
}
