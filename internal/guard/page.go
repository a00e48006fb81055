package guard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// approvalPath is the path prefix of approval URLs; the id follows it.
const approvalPath = "/approvals/"

// maxDecisionBytes bounds the body of a decision POST.
const maxDecisionBytes = 4096

// PageHandler returns the approval page for approvals served at origin,
// such as "http://127.0.0.1:41234". GET shows a plan and never changes
// anything; POST records a decision and accepts only a same-origin form with
// the approval's CSRF token. Requests whose Host is not origin's host are
// rejected, which stops DNS rebinding.
func (a *Approvals) PageHandler(origin string, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	page := &approvalPage{approvals: a, origin: origin, host: strings.TrimPrefix(origin, "http://"), logger: logger}

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+approvalPath+"{id}", page.show)
	mux.HandleFunc("POST "+approvalPath+"{id}", page.decide)
	return page.secure(mux)
}

type approvalPage struct {
	approvals *Approvals
	origin    string
	host      string
	logger    *slog.Logger
}

// styleNonceKey is the context key of the per-response CSP nonce.
type styleNonceKey struct{}

// secure sets the security headers on every response and rejects foreign
// Host headers. It never sets CORS headers.
func (p *approvalPage) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce := make([]byte, 16)
		_, _ = rand.Read(nonce)
		styleNonce := hex.EncodeToString(nonce)

		header := w.Header()
		header.Set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-"+styleNonce+"'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		header.Set("X-Frame-Options", "DENY")
		header.Set("Cache-Control", "no-store")
		// same-origin, not no-referrer: under no-referrer, browsers send
		// "Origin: null" with the page's own form POST (Fetch standard,
		// "serializing a request origin"), and sameOrigin rejects that.
		// Other sites still get no Referer carrying the approval id.
		header.Set("Referrer-Policy", "same-origin")
		header.Set("X-Content-Type-Options", "nosniff")
		header.Set("Cross-Origin-Opener-Policy", "same-origin")
		header.Set("Cross-Origin-Resource-Policy", "same-origin")

		if r.Host != p.host {
			p.fail(w, styleNonce, http.StatusMisdirectedRequest, "Wrong address", "Open the approval link exactly as the assistant showed it.")
			return
		}

		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), styleNonceKey{}, styleNonce)))
	})
}

// show renders the plan of a pending approval, or its outcome.
func (p *approvalPage) show(w http.ResponseWriter, r *http.Request) {
	nonce, _ := r.Context().Value(styleNonceKey{}).(string)

	p.approvals.mu.Lock()
	record := p.approvals.lookup(r.PathValue("id"))
	var view pageView
	if record != nil {
		view = p.view(record, nonce)
	}
	p.approvals.mu.Unlock()

	if record == nil {
		p.fail(w, nonce, http.StatusNotFound, "Unknown approval", "This approval link is not valid. Ask the assistant for a new one.")
		return
	}
	p.render(w, http.StatusOK, view)
}

// decide records Approve or Reject.
func (p *approvalPage) decide(w http.ResponseWriter, r *http.Request) {
	nonce, _ := r.Context().Value(styleNonceKey{}).(string)

	if !p.sameOrigin(r) {
		p.logger.Warn("approval page rejected a cross-origin decision",
			"origin", truncate(r.Header.Get("Origin"), 100), "secFetchSite", r.Header.Get("Sec-Fetch-Site"))
		p.fail(w, nonce, http.StatusForbidden, "Request rejected", "Decisions are accepted only from this page itself.")
		return
	}

	contentType := r.Header.Get("Content-Type")
	if !strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		p.fail(w, nonce, http.StatusUnsupportedMediaType, "Request rejected", "Decisions are accepted only from this page's form.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxDecisionBytes)
	if err := r.ParseForm(); err != nil {
		p.fail(w, nonce, http.StatusBadRequest, "Request rejected", "The form could not be read.")
		return
	}
	decision := r.PostForm.Get("decision")
	token := r.PostForm.Get("csrf")

	status, view := p.record(r.PathValue("id"), decision, token, nonce)
	p.render(w, status, view)
}

// record applies a decision under the store's lock and returns the page to
// render, so that writing to a slow client never holds the lock.
func (p *approvalPage) record(id, decision, token, nonce string) (int, pageView) {
	p.approvals.mu.Lock()
	defer p.approvals.mu.Unlock()

	record := p.approvals.lookup(id)
	if record == nil {
		return http.StatusNotFound, failView(nonce, "Unknown approval", "This approval link is not valid. Ask the assistant for a new one.")
	}
	if !equalStrings(token, record.csrfToken) {
		p.logger.Warn("approval page rejected a decision with a wrong CSRF token", "approval", record.fingerprint)
		return http.StatusForbidden, failView(nonce, "Request rejected", "The form token is missing or wrong. Reload the page and decide again.")
	}

	now := p.approvals.now()
	if !now.Before(record.expires) {
		return http.StatusGone, failView(nonce, "Approval expired", "This approval link expired. Ask the assistant for a new one.")
	}
	if record.status != ApprovalPending {
		return http.StatusConflict, p.view(record, nonce)
	}

	switch decision {
	case "approve":
		record.status = ApprovalApproved
	case "reject":
		record.status = ApprovalRejected
	default:
		return http.StatusBadRequest, failView(nonce, "Request rejected", "Choose Approve or Reject.")
	}
	record.decided = now
	p.logger.Info("approval page decision", "approval", record.fingerprint, "tool", record.binding.Tool, "status", record.status)

	return http.StatusOK, p.view(record, nonce)
}

// sameOrigin reports whether a POST comes from this page: its Origin equals
// the page's origin, or, without Origin, the browser marked it same-origin.
// A Sec-Fetch-Site other than same-origin is rejected even with a matching
// Origin.
func (p *approvalPage) sameOrigin(r *http.Request) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	if site != "" && site != "same-origin" {
		return false
	}

	origins := r.Header.Values("Origin")
	if len(origins) == 0 {
		return site == "same-origin"
	}
	return len(origins) == 1 && origins[0] == p.origin
}

type pageView struct {
	Nonce     string
	Title     string
	Message   string
	Plan      *Plan
	Status    ApprovalStatus
	CSRF      string
	ExpiresAt string
	Pending   bool
}

func (p *approvalPage) view(record *approval, nonce string) pageView {
	view := pageView{
		Nonce:     nonce,
		Plan:      record.plan,
		Status:    record.status,
		ExpiresAt: record.expires.UTC().Format(time.RFC1123),
	}

	expired := !p.approvals.now().Before(record.expires)
	switch {
	case expired && record.status == ApprovalPending:
		view.Title = "Approval expired"
		view.Message = "This request expired without a decision. Nothing was run."
	case record.status == ApprovalPending:
		view.Title = "Approve this action?"
		view.Pending = true
		view.CSRF = record.csrfToken
	case record.status == ApprovalApproved:
		view.Title = "Approved"
		view.Message = "Tell the assistant you approved. It runs the action once when it calls the tool again with the same arguments and the approval id."
	case record.status == ApprovalRejected:
		view.Title = "Rejected"
		view.Message = "Nothing will run. The assistant is told that you rejected the request."
	case record.status == ApprovalConsumed:
		view.Title = "Approved and used"
		view.Message = "The approved action ran. This link cannot be used again."
	}
	return view
}

func (p *approvalPage) fail(w http.ResponseWriter, nonce string, status int, title, message string) {
	p.render(w, status, failView(nonce, title, message))
}

func failView(nonce, title, message string) pageView {
	return pageView{Nonce: nonce, Title: title, Message: message}
}

func (p *approvalPage) render(w http.ResponseWriter, status int, view pageView) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pageTemplate.Execute(w, view); err != nil {
		p.logger.Error("render the approval page", "err", err)
	}
}

var pageTemplate = template.Must(template.New("approval").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>{{.Title}} - rational-mcp</title>
<style nonce="{{.Nonce}}">
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f24; background: #fff; }
h1 { font-size: 1.4rem; }
.summary { font-size: 1.05rem; padding: .75rem 1rem; background: #fff8e1; border-left: 4px solid #d4a017; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
form { display: flex; gap: 1rem; margin-top: 1.5rem; }
button { font-family: inherit; font-size: 1rem; padding: .6rem 1.4rem; border-radius: 6px; border: 1px solid #888; cursor: pointer; }
button.approve { background: #1a7f37; color: #fff; border-color: #1a7f37; }
button.reject { background: #fff; color: #b3261e; border-color: #b3261e; }
.note { color: #57606a; font-size: .9rem; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{with .Plan}}
<p class="summary">{{.Summary}}</p>
<dl>
{{range .Facts}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>
{{end}}</dl>
{{end}}
{{if .Message}}<p>{{.Message}}</p>{{end}}
{{if .Pending}}
<form method="post">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button class="reject" type="submit" name="decision" value="reject">Reject</button>
</form>
<p class="note">This link works once and expires {{.ExpiresAt}}. Approving allows exactly this action with exactly these arguments.</p>
{{end}}
</body>
</html>
`))
