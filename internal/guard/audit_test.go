package guard

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readAuditLines(t *testing.T, filename string) []map[string]any {
	t.Helper()
	file, err := os.Open(filename)
	require.NoError(t, err)
	defer file.Close()

	var lines []map[string]any
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		var line map[string]any
		require.NoError(t, json.Unmarshal(scanner.Bytes(), &line), scanner.Text())
		lines = append(lines, line)
	}
	require.NoError(t, scanner.Err())
	return lines
}

func TestAuditLogFileModeAndAppend(t *testing.T) {
	filename := filepath.Join(t.TempDir(), "audit.jsonl")
	require.NoError(t, os.WriteFile(filename, []byte(`{"earlier":true}`+"\n"), 0o644))

	log, err := OpenAuditLog(filename)
	require.NoError(t, err)
	require.NoError(t, log.Write(AuditEntry{Tool: "deploy_model", Decision: DecisionApproved}))
	require.NoError(t, log.Close())

	info, err := os.Stat(filename)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	lines := readAuditLines(t, filename)
	require.Len(t, lines, 2)
	assert.Equal(t, true, lines[0]["earlier"])
	assert.Equal(t, "deploy_model", lines[1]["tool"])
}

func TestAuditLogNewFileMode(t *testing.T) {
	filename := filepath.Join(t.TempDir(), "new.jsonl")
	log, err := OpenAuditLog(filename)
	require.NoError(t, err)
	defer log.Close()
	info, err := os.Stat(filename)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

func TestAuditLogConcurrentLinesIntact(t *testing.T) {
	filename := filepath.Join(t.TempDir(), "audit.jsonl")
	log, err := OpenAuditLog(filename)
	require.NoError(t, err)

	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, log.Write(AuditEntry{Tool: "register_model", Arguments: map[string]any{"i": i, "card": string(make([]byte, 300))}}))
		}()
	}
	wg.Wait()
	require.NoError(t, log.Close())

	lines := readAuditLines(t, filename)
	assert.Len(t, lines, 50)
}

func TestAuditLogOpenError(t *testing.T) {
	_, err := OpenAuditLog(filepath.Join(t.TempDir(), "missing-dir", "audit.jsonl"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "audit log")
}

func TestRedactArguments(t *testing.T) {
	arguments := map[string]any{
		"modelId":        "m",
		"hfToken":        "hf_secret",
		"api_key":        "k",
		"Authorization":  "Bearer x",
		ApprovalArgument: "ap_secret",
		"nested":         map[string]any{"password": "p", "ok": "v"},
		"list":           []any{map[string]any{"clientSecret": "s"}},
		"description":    string(make([]byte, 2000)),
	}
	redacted := RedactArguments(arguments)

	assert.Equal(t, "m", redacted["modelId"])
	assert.Equal(t, "[redacted]", redacted["hfToken"])
	assert.Equal(t, "[redacted]", redacted["api_key"])
	assert.Equal(t, "[redacted]", redacted["Authorization"])
	assert.Equal(t, "fingerprint:"+Fingerprint("ap_secret"), redacted[ApprovalArgument])
	assert.Equal(t, map[string]any{"password": "[redacted]", "ok": "v"}, redacted["nested"])
	assert.Equal(t, []any{map[string]any{"clientSecret": "[redacted]"}}, redacted["list"])
	assert.Len(t, redacted["description"], maxAuditString+3)
	assert.Equal(t, "hf_secret", arguments["hfToken"], "the input is not changed")
	assert.Nil(t, RedactArguments(nil))
}

func TestGuardRecordWritesAuditLines(t *testing.T) {
	filename := filepath.Join(t.TempDir(), "audit.jsonl")
	log, err := OpenAuditLog(filename)
	require.NoError(t, err)
	f := newGuardFixture(t, withAudit(log))
	ctx := context.Background()

	read := Call{Tool: listTool, Arguments: map[string]any{}, Caller: "s1"}
	f.guard.Record(read, f.check(ctx, read), &UpstreamEntry{OK: true}, time.Millisecond)

	first := Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1"}
	pending := f.check(ctx, first)
	f.guard.Record(first, pending, nil, 2*time.Millisecond)

	f.decide(t, pending.Approval.ID, ApprovalApproved)
	second := Call{Tool: deployTool, Arguments: withApprovalID(deployArgs("m-gemma"), pending.Approval.ID), Caller: "s1"}
	approved := f.check(ctx, second)
	f.guard.Record(second, approved, &UpstreamEntry{OK: true, Summary: "deployment dep-1"}, 1500*time.Microsecond)

	refusedRead := Call{Tool: listTool, Arguments: map[string]any{}, Caller: "s1", RequestState: "forged", InputResponses: accept()}
	f.guard.Record(refusedRead, f.check(ctx, refusedRead), nil, 0)
	require.NoError(t, log.Close())

	lines := readAuditLines(t, filename)
	require.Len(t, lines, 3, "the allowed read is not logged")

	assert.Equal(t, "deploy_model", lines[0]["tool"])
	assert.Equal(t, "approval_required", lines[0]["decision"])
	assert.Equal(t, "approval requested: "+Fingerprint(pending.Approval.ID), lines[0]["message"])
	assert.Nil(t, lines[0]["upstream"])

	assert.Equal(t, "approved", lines[1]["decision"])
	assert.Equal(t, map[string]any{"kind": "approval_page", "ref": Fingerprint(pending.Approval.ID)}, lines[1]["approvedBy"])
	assert.Equal(t, map[string]any{"ok": true, "summary": "deployment dep-1"}, lines[1]["upstream"])
	assert.Equal(t, 1.5, lines[1]["latencyMs"])
	assert.Equal(t, "s1", lines[1]["caller"])
	assert.Equal(t, "gpu", lines[1]["effect"])
	assert.Equal(t, "fingerprint:"+Fingerprint(pending.Approval.ID), lines[1]["arguments"].(map[string]any)[ApprovalArgument])
	assert.Equal(t, "2026-07-28T12:00:00Z", lines[1]["time"])

	assert.Equal(t, "list_models", lines[2]["tool"])
	assert.Equal(t, "refused", lines[2]["decision"])
	assert.Equal(t, "unsolicited", lines[2]["reason"])

	raw, err := os.ReadFile(filename)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), pending.Approval.ID, "the approval id is a secret until used")
}

func TestRedactURLCredentials(t *testing.T) {
	cases := map[string]string{
		"https://user:pass@example.com/x":                                 "https://[redacted]@example.com/x",
		"see https://hf_abc@huggingface.co/a/b for the card":              "see https://[redacted]@huggingface.co/a/b for the card",
		"https://example.com/card?token=abc&lang=en":                      "https://example.com/card?token=[redacted]&lang=en",
		"https://s3.example.com/c?X-Amz-Signature=f00&X-Amz-Credential=k": "https://s3.example.com/c?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]",
		"https://example.com/models/a@b":                                  "https://example.com/models/a@b",
		"plain text with user@example.com":                                "plain text with user@example.com",
	}
	for input, want := range cases {
		redacted := RedactArguments(map[string]any{"card": input, "nested": []any{input}})
		assert.Equal(t, want, redacted["card"], input)
		assert.Equal(t, []any{want}, redacted["nested"], input)
	}
}

func TestAuditLogOmitsURLCredentials(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log, err := OpenAuditLog(path)
	require.NoError(t, err)
	require.NoError(t, log.Write(AuditEntry{Tool: "register_model", Arguments: map[string]any{"card": "https://user:pass@example.com/x"}}))
	require.NoError(t, log.Close())

	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "user:pass")
	assert.Contains(t, string(raw), "https://[redacted]@example.com/x")
}
