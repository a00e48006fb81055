package guard

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageFixture is a guard whose approval page runs on a real loopback
// listener.
type pageFixture struct {
	*guardFixture
	server *PageServer
}

func newPageFixture(t *testing.T) *pageFixture {
	t.Helper()
	f := newGuardFixture(t)
	server, err := StartPageServer(f.approvals, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		assert.NoError(t, server.Close(ctx))
	})
	return &pageFixture{guardFixture: f, server: server}
}

// pending creates a deploy approval and returns its id and URL.
func (f *pageFixture) pending(t *testing.T) (string, string) {
	t.Helper()
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1"})
	require.Equal(t, DecisionApprovalRequired, verdict.Decision)
	return verdict.Approval.ID, verdict.Approval.URL
}

func (f *pageFixture) status(t *testing.T, id string) ApprovalStatus {
	t.Helper()
	f.approvals.mu.Lock()
	defer f.approvals.mu.Unlock()
	return f.approvals.lookup(id).status
}

func (f *pageFixture) consume(id string) Verdict {
	return f.check(context.Background(), Call{Tool: deployTool, Arguments: withApprovalID(deployArgs("m-gemma"), id), Caller: "s1"})
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

type pageResponse struct {
	status int
	header http.Header
	body   string
}

func doRequest(t *testing.T, request *http.Request) pageResponse {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	response, err := client.Do(request)
	require.NoError(t, err)
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	require.NoError(t, err)
	return pageResponse{status: response.StatusCode, header: response.Header, body: string(body)}
}

func getPage(t *testing.T, pageURL string) pageResponse {
	t.Helper()
	request, err := http.NewRequest(http.MethodGet, pageURL, nil)
	require.NoError(t, err)
	return doRequest(t, request)
}

func csrfOf(t *testing.T, page pageResponse) string {
	t.Helper()
	match := csrfField.FindStringSubmatch(page.body)
	require.Len(t, match, 2, "no CSRF field in %s", page.body)
	return match[1]
}

// postDecision posts a decision form with the given headers; "Origin" is
// left out when headers has no such key.
func postDecision(t *testing.T, pageURL string, form url.Values, headers map[string]string) pageResponse {
	t.Helper()
	request, err := http.NewRequest(http.MethodPost, pageURL, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for key, value := range headers {
		if key == "Host" {
			request.Host = value
			continue
		}
		request.Header.Set(key, value)
	}
	return doRequest(t, request)
}

func (f *pageFixture) browserHeaders() map[string]string {
	return map[string]string{"Origin": f.server.Origin(), "Sec-Fetch-Site": "same-origin"}
}

func TestPageShowsPlanWithSecurityHeaders(t *testing.T) {
	f := newPageFixture(t)
	_, pageURL := f.pending(t)
	assert.True(t, strings.HasPrefix(pageURL, f.server.Origin()+approvalPath))

	page := getPage(t, pageURL)
	require.Equal(t, http.StatusOK, page.status)

	assert.Contains(t, page.body, "Approve this action?")
	assert.Contains(t, page.body, "google/gemma-4-12B-it")
	assert.Contains(t, page.body, "GPUs (estimate)")
	assert.Contains(t, page.body, `value="approve"`)
	assert.Contains(t, page.body, `value="reject"`)
	assert.Contains(t, page.body, `method="post"`)
	assert.NotContains(t, page.body, "<script")
	assert.NotContains(t, page.body, "<link")
	assert.NotContains(t, page.body, "src=")

	csp := page.header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "default-src 'none'")
	assert.Contains(t, csp, "frame-ancestors 'none'")
	assert.Contains(t, csp, "form-action 'self'")
	assert.Equal(t, "DENY", page.header.Get("X-Frame-Options"))
	assert.Equal(t, "no-store", page.header.Get("Cache-Control"))
	assert.Equal(t, "same-origin", page.header.Get("Referrer-Policy"))
	assert.Equal(t, "nosniff", page.header.Get("X-Content-Type-Options"))
	assert.Empty(t, page.header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "text/html; charset=utf-8", page.header.Get("Content-Type"))
}

func TestPageStyleNonceMatchesCSP(t *testing.T) {
	f := newPageFixture(t)
	_, pageURL := f.pending(t)
	page := getPage(t, pageURL)
	nonce := regexp.MustCompile(`style nonce="([^"]+)"`).FindStringSubmatch(page.body)
	require.Len(t, nonce, 2)
	assert.Contains(t, page.header.Get("Content-Security-Policy"), "'nonce-"+nonce[1]+"'")
	assert.NotEqual(t, nonce[1], regexp.MustCompile(`style nonce="([^"]+)"`).FindStringSubmatch(getPage(t, pageURL).body)[1])
}

func TestPageApproveThenConsumeOnce(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)

	token := csrfOf(t, getPage(t, pageURL))
	response := postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"approve"}}, f.browserHeaders())
	require.Equal(t, http.StatusOK, response.status, response.body)
	assert.Contains(t, response.body, "Approved")
	assert.NotContains(t, response.body, token)
	assert.Equal(t, ApprovalApproved, f.status(t, id))

	verdict := f.consume(id)
	require.Equal(t, DecisionApproved, verdict.Decision, "%+v", verdict.Refusal)
	assert.Contains(t, getPage(t, pageURL).body, "Approved and used")

	assert.Equal(t, ReasonReplayed, f.consume(id).Refusal.Reason)
}

func TestPageRejectRefusesDeploy(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))

	response := postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"reject"}}, f.browserHeaders())
	require.Equal(t, http.StatusOK, response.status)
	assert.Contains(t, response.body, "Rejected")
	assert.Equal(t, ReasonRejected, f.consume(id).Refusal.Reason)
}

func TestPageSameOriginFetchWithoutOrigin(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))

	response := postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"approve"}}, map[string]string{"Sec-Fetch-Site": "same-origin"})
	require.Equal(t, http.StatusOK, response.status, response.body)
	assert.Equal(t, ApprovalApproved, f.status(t, id))
}

func TestPageUnknownID(t *testing.T) {
	f := newPageFixture(t)
	page := getPage(t, f.server.Origin()+approvalPath+approvalIDPrefix+randomToken())
	assert.Equal(t, http.StatusNotFound, page.status)
	assert.Contains(t, page.body, "not valid")
	assert.Equal(t, "DENY", page.header.Get("X-Frame-Options"))
}

func TestPageExpired(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))
	f.clock.Advance(DefaultApprovalTTL)

	assert.Contains(t, getPage(t, pageURL).body, "expired")
	response := postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"approve"}}, f.browserHeaders())
	assert.Equal(t, http.StatusGone, response.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestPageInvalidDecision(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))
	response := postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"maybe"}}, f.browserHeaders())
	assert.Equal(t, http.StatusBadRequest, response.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestAdversarialPageCSRFWithoutToken(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	response := postDecision(t, pageURL, url.Values{"decision": {"approve"}}, f.browserHeaders())
	assert.Equal(t, http.StatusForbidden, response.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
	assert.Equal(t, ReasonPending, f.consume(id).Refusal.Reason)
}

func TestAdversarialPageWrongCSRFToken(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	response := postDecision(t, pageURL, url.Values{"csrf": {randomToken()}, "decision": {"approve"}}, f.browserHeaders())
	assert.Equal(t, http.StatusForbidden, response.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestAdversarialPageTokenOfOtherApproval(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	_, otherURL := f.pending(t)
	otherToken := csrfOf(t, getPage(t, otherURL))

	response := postDecision(t, pageURL, url.Values{"csrf": {otherToken}, "decision": {"approve"}}, f.browserHeaders())
	assert.Equal(t, http.StatusForbidden, response.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestAdversarialPageForeignOrigin(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))

	for _, origin := range []string{"https://evil.example", "http://localhost" + strings.TrimPrefix(f.server.Origin(), "http://127.0.0.1"), "null", f.server.Origin() + "/"} {
		response := postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"approve"}}, map[string]string{"Origin": origin})
		assert.Equal(t, http.StatusForbidden, response.status, origin)
	}
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestAdversarialPageMissingOriginWithoutFetchMetadata(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))
	response := postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"approve"}}, nil)
	assert.Equal(t, http.StatusForbidden, response.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestAdversarialPageCrossSiteFetchMetadata(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))
	headers := map[string]string{"Origin": f.server.Origin(), "Sec-Fetch-Site": "cross-site"}
	response := postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"approve"}}, headers)
	assert.Equal(t, http.StatusForbidden, response.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestAdversarialPageGetBasedApproval(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))

	page := getPage(t, pageURL+"?"+url.Values{"csrf": {token}, "decision": {"approve"}}.Encode())
	assert.Equal(t, http.StatusOK, page.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
	assert.Equal(t, ReasonPending, f.consume(id).Refusal.Reason)
}

func TestAdversarialPageOtherMethods(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	for _, method := range []string{http.MethodPut, http.MethodOptions, http.MethodDelete, http.MethodPatch} {
		request, err := http.NewRequest(method, pageURL, strings.NewReader("decision=approve"))
		require.NoError(t, err)
		request.Header.Set("Origin", "https://evil.example")
		request.Header.Set("Access-Control-Request-Method", "POST")
		response := doRequest(t, request)
		assert.Equal(t, http.StatusMethodNotAllowed, response.status, method)
		assert.Empty(t, response.header.Get("Access-Control-Allow-Origin"), method)
	}
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestAdversarialPageDNSRebindingHost(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	port := strings.TrimPrefix(f.server.Origin(), "http://127.0.0.1")

	request, err := http.NewRequest(http.MethodGet, pageURL, nil)
	require.NoError(t, err)
	request.Host = "rebind.evil.example" + port
	response := doRequest(t, request)
	assert.Equal(t, http.StatusMisdirectedRequest, response.status)
	assert.NotContains(t, response.body, "csrf")

	headers := map[string]string{"Host": "rebind.evil.example" + port, "Origin": "http://rebind.evil.example" + port, "Sec-Fetch-Site": "same-origin"}
	post := postDecision(t, pageURL, url.Values{"csrf": {"x"}, "decision": {"approve"}}, headers)
	assert.Equal(t, http.StatusMisdirectedRequest, post.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestAdversarialPageTextPlainForm(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))

	request, err := http.NewRequest(http.MethodPost, pageURL, strings.NewReader("csrf="+token+"&decision=approve"))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "text/plain")
	request.Header.Set("Origin", f.server.Origin())
	response := doRequest(t, request)
	assert.Equal(t, http.StatusUnsupportedMediaType, response.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
}

func TestAdversarialPageDecisionChangedAfterApprove(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))
	require.Equal(t, http.StatusOK, postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"reject"}}, f.browserHeaders()).status)

	response := postDecision(t, pageURL, url.Values{"csrf": {token}, "decision": {"approve"}}, f.browserHeaders())
	assert.Equal(t, http.StatusConflict, response.status)
	assert.Equal(t, ApprovalRejected, f.status(t, id))
}

func TestAdversarialPageOversizedBody(t *testing.T) {
	f := newPageFixture(t)
	id, pageURL := f.pending(t)
	token := csrfOf(t, getPage(t, pageURL))
	form := url.Values{"csrf": {token}, "decision": {"approve"}, "padding": {strings.Repeat("a", 2*maxDecisionBytes)}}
	response := postDecision(t, pageURL, form, f.browserHeaders())
	assert.Equal(t, http.StatusBadRequest, response.status)
	assert.Equal(t, ApprovalPending, f.status(t, id))
}
