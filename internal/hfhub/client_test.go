package hfhub_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
)

// fakeClock is a settable clock for cache expiry.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type harness struct {
	server *hubtest.Server
	client *hfhub.Client
	clock  *fakeClock
	logs   *bytes.Buffer
}

func newHarness(t *testing.T, modify func(*hfhub.Options)) *harness {
	t.Helper()

	h := &harness{
		server: hubtest.New(t, hubtest.FixtureDir(t)),
		clock:  &fakeClock{now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)},
		logs:   &bytes.Buffer{},
	}
	opts := hfhub.Options{
		Endpoint: h.server.URL,
		Logger:   slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:      h.clock.Now,
	}
	if modify != nil {
		modify(&opts)
	}

	client, err := hfhub.New(opts)
	require.NoError(t, err)
	h.client = client
	return h
}

func TestInspectPlainSafetensors(t *testing.T) {
	h := newHarness(t, nil)

	facts, err := h.client.Inspect(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	require.NoError(t, err)

	assert.Equal(t, "Qwen/Qwen2.5-7B-Instruct", facts.RepoID)
	assert.Equal(t, "Qwen", facts.Publisher)
	assert.Equal(t, h.server.URL+"/Qwen/Qwen2.5-7B-Instruct", facts.CardURL)
	assert.Equal(t, "apache-2.0", facts.License)
	assert.Equal(t, []string{"Qwen/Qwen2.5-7B"}, facts.BaseModels)
	assert.False(t, facts.Gated.Enabled)
	assert.False(t, facts.Private)
	assert.Equal(t, int64(7615616512), facts.Parameters)
	assert.Equal(t, "safetensors.total", facts.ParametersSource)
	assert.Empty(t, facts.ParametersNote)
	assert.Equal(t, hfhub.FormatSafetensors, facts.Format)
	assert.Equal(t, controlroom.ModelTypeBase, facts.Type)
	assert.Equal(t, "BF16", facts.Dtype)
	assert.Equal(t, "Qwen2ForCausalLM", facts.Architecture)
	assert.Equal(t, "qwen2", facts.ModelType)
	// The model info lacks the sizes, so Inspect read config.json.
	assert.Equal(t, int64(32768), facts.ContextLength)
	assert.Equal(t, "config.json max_position_embeddings", facts.ContextLengthSource)
	assert.Equal(t, int64(28), facts.Layers)
	assert.Equal(t, int64(28), facts.AttentionHeads)
	assert.Equal(t, int64(4), facts.KVHeads)
	assert.Equal(t, int64(3584), facts.HiddenSize)
	assert.Zero(t, facts.HeadDim, "Qwen2.5 derives the head dim from hidden size and heads")
	assert.Len(t, facts.WeightFiles, 4)
	assert.True(t, facts.WeightBytesKnown)
	// 3945441440 + 3864726320 + 3864726424 + 3556377672
	assert.Equal(t, int64(15231271856), facts.WeightBytes)
	assert.Empty(t, facts.Warnings)

	requests := h.server.Requests()
	require.Len(t, requests, 2)
	assert.Equal(t, "/api/models/Qwen/Qwen2.5-7B-Instruct", requests[0].Path)
	assert.Equal(t, "blobs=true", requests[0].RawQuery)
	assert.Empty(t, requests[0].Authorization, "no token configured, none sent")
	assert.Equal(t, "/Qwen/Qwen2.5-7B-Instruct/resolve/a09a35458c702b33eeacc393d103063234e8bc28/config.json", requests[1].Path,
		"config.json is read at the commit of the model info")
}

func TestInspectSkipsConfigFileWhenAsked(t *testing.T) {
	h := newHarness(t, func(o *hfhub.Options) { o.SkipConfigFile = true })

	facts, err := h.client.Inspect(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	require.NoError(t, err)

	assert.Zero(t, facts.Layers)
	assert.Zero(t, facts.ContextLength)
	assert.Len(t, h.server.Requests(), 1)
}

func TestInspectSkipsConfigFileWhenSizesKnown(t *testing.T) {
	h := newHarness(t, nil)

	_, err := h.client.Inspect(context.Background(), "meta-llama/Llama-3.1-8B-Instruct", "")
	require.NoError(t, err)
	assert.Len(t, h.server.Requests(), 1, "the model info already has the layer count")
}

func TestInspectGatedConfigFileIsWarning(t *testing.T) {
	h := newHarness(t, nil)
	fixtures, err := hubtest.LoadFixtures(hubtest.FixtureDir(t))
	require.NoError(t, err)

	// The gated fixture without the sizes in its model info, so that
	// Inspect must read the gated config.json.
	for _, fixture := range fixtures {
		if fixture.File == "llama-3.1-8b-instruct-gated.json" {
			fixture.Body = []byte(strings.Replace(string(fixture.Body), `"num_hidden_layers": 32,`, "", 1))
			h.server.SetFixture(fixture)
		}
	}

	facts, err := h.client.Inspect(context.Background(), "meta-llama/Llama-3.1-8B-Instruct", "")
	require.NoError(t, err, "a gated config.json does not fail the inspection")

	assert.Zero(t, facts.Layers)
	require.Len(t, facts.Warnings, 1)
	assert.Contains(t, facts.Warnings[0], "config.json could not be read")
	assert.Contains(t, facts.Warnings[0], "gated")
	assert.Contains(t, facts.Warnings[0], "accept the conditions on the model page")

	withToken := newHarness(t, func(o *hfhub.Options) { o.Token = hubtest.Token })
	for _, fixture := range fixtures {
		if fixture.File == "llama-3.1-8b-instruct-gated.json" {
			fixture.Body = []byte(strings.Replace(string(fixture.Body), `"num_hidden_layers": 32,`, "", 1))
			withToken.server.SetFixture(fixture)
		}
	}
	facts, err = withToken.client.Inspect(context.Background(), "meta-llama/Llama-3.1-8B-Instruct", "")
	require.NoError(t, err)
	assert.Equal(t, int64(32), facts.Layers, "with access the layer count comes from config.json")
	assert.Empty(t, facts.Warnings)
}

func TestModelConfigErrors(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()

	_, err := h.client.ModelConfig(ctx, "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "")
	assert.True(t, errors.Is(err, hfhub.ErrNotFound), "no config.json in a GGUF repository")
	assert.Contains(t, err.Error(), "the file does not exist")

	_, err = h.client.ModelConfig(ctx, "rational-ai/no-such-model-7b", "")
	assert.True(t, errors.Is(err, hfhub.ErrNotFound))

	_, err = h.client.ModelConfig(ctx, "owner/../x", "")
	assert.True(t, errors.Is(err, hfhub.ErrInvalidInput))

	config, err := h.client.ModelConfig(ctx, "Qwen/Qwen2.5-7B-Instruct-AWQ", "")
	require.NoError(t, err)
	assert.Equal(t, "awq", config.Quantization.Method)
	assert.Equal(t, int64(28), config.NumHiddenLayers)

	paths := []string{}
	for _, request := range h.server.Requests() {
		paths = append(paths, request.Path)
	}
	assert.Contains(t, paths, "/Qwen/Qwen2.5-7B-Instruct-AWQ/resolve/main/config.json", "an empty revision reads main")
}

func TestInspectGatedModel(t *testing.T) {
	h := newHarness(t, nil)

	facts, err := h.client.Inspect(context.Background(), "meta-llama/Llama-3.1-8B-Instruct", "")
	require.NoError(t, err)

	assert.True(t, facts.Gated.Enabled)
	assert.Equal(t, "manual", facts.Gated.Mode)
	assert.Equal(t, "llama3.1", facts.License)
	assert.Equal(t, "meta-llama", facts.Publisher)
	assert.Equal(t, int64(8030261248), facts.Parameters)
	assert.Equal(t, hfhub.FormatSafetensors, facts.Format)
	assert.Equal(t, controlroom.ModelTypeBase, facts.Type)
	assert.Equal(t, "LlamaForCausalLM", facts.Architecture)
	assert.Equal(t, int64(131072), facts.ContextLength)
	assert.Equal(t, "config.max_position_embeddings", facts.ContextLengthSource)
	assert.Equal(t, int64(32), facts.Layers)
	assert.Equal(t, int64(32), facts.AttentionHeads)
	assert.Equal(t, int64(8), facts.KVHeads)
	assert.Equal(t, int64(128), facts.HeadDim)
	assert.Equal(t, int64(4096), facts.HiddenSize)
	// The original/consolidated.00.pth copy is not counted:
	// 4976698672 + 4999802720 + 4915916176 + 1168138808.
	assert.Equal(t, int64(16060556376), facts.WeightBytes)
}

func TestInspectAWQ(t *testing.T) {
	h := newHarness(t, nil)

	facts, err := h.client.Inspect(context.Background(), "Qwen/Qwen2.5-7B-Instruct-AWQ", "")
	require.NoError(t, err)

	assert.Equal(t, hfhub.FormatAWQ, facts.Format)
	assert.Equal(t, controlroom.ModelTypeAWQ, facts.Type)
	assert.Equal(t, "awq", facts.QuantMethod)
	assert.Equal(t, int64(4), facts.QuantBits)
	assert.Equal(t, int64(1964296704), facts.Parameters)
	assert.Contains(t, facts.ParametersNote, "undercounts")
	// 3994823680 + 1577589504
	assert.Equal(t, int64(5572413184), facts.WeightBytes)
	assert.Equal(t, []string{"Qwen/Qwen2.5-7B-Instruct"}, facts.BaseModels)
}

func TestInspectGGUF(t *testing.T) {
	h := newHarness(t, nil)

	facts, err := h.client.Inspect(context.Background(), "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "")
	require.NoError(t, err)

	assert.Equal(t, hfhub.FormatGGUF, facts.Format)
	assert.Equal(t, controlroom.ModelTypeGGUF, facts.Type)
	assert.Equal(t, int64(8030261312), facts.Parameters)
	assert.Equal(t, "gguf.total", facts.ParametersSource)
	assert.Equal(t, "llama", facts.Architecture)
	assert.Equal(t, int64(131072), facts.ContextLength)
	assert.Equal(t, "gguf.context_length", facts.ContextLengthSource)
	assert.False(t, facts.WeightBytesKnown, "four variants, no single weight size")

	labels := []string{}
	for _, variant := range facts.Variants {
		labels = append(labels, variant.Label)
	}
	assert.Equal(t, []string{"F32", "Q4_K_M", "Q5_K_M", "Q8_0"}, labels)
	assert.Equal(t, int64(4920734016), facts.Variants[1].Bytes)
}

func TestInspectGGML(t *testing.T) {
	h := newHarness(t, nil)

	facts, err := h.client.Inspect(context.Background(), "TheBloke/Llama-2-7B-Chat-GGML", "")
	require.NoError(t, err)

	assert.Equal(t, hfhub.FormatGGML, facts.Format)
	assert.Equal(t, controlroom.ModelTypeGGML, facts.Type)
	assert.Equal(t, "other", facts.License)
	assert.Zero(t, facts.Parameters, "the Hub sends no parameter count for GGML files")
	assert.Len(t, facts.WeightFiles, 2)
	assert.False(t, facts.WeightBytesKnown, "two variants, no single weight size")
	require.Len(t, facts.Variants, 2)
	assert.Equal(t, "Q4_0", facts.Variants[0].Label)
	assert.Equal(t, int64(3791725184), facts.Variants[0].Bytes)
	assert.Equal(t, "Q5_K_M", facts.Variants[1].Label)
}

func TestMissingRepoIsNotFound(t *testing.T) {
	h := newHarness(t, nil)

	_, err := h.client.Inspect(context.Background(), "rational-ai/no-such-model-7b", "")
	require.Error(t, err)

	assert.True(t, errors.Is(err, hfhub.ErrNotFound))
	assert.False(t, hfhub.CouldNotVerify(err))
	assert.Equal(t, hfhub.KindNotFound, hfhub.KindOf(err))
	var hubErr *hfhub.Error
	require.True(t, errors.As(err, &hubErr))
	assert.Equal(t, http.StatusUnauthorized, hubErr.StatusCode)
	assert.Contains(t, err.Error(), "does not exist or is private")
	assert.Contains(t, err.Error(), "check the spelling")
	assert.Contains(t, err.Error(), "HF_TOKEN")
	assert.Contains(t, err.Error(), "rational-ai/no-such-model-7b")
}

func TestPrivateRepoNeedsToken(t *testing.T) {
	without := newHarness(t, nil)
	_, err := without.client.Inspect(context.Background(), "rational-ai/internal-chat-3b", "")
	assert.True(t, errors.Is(err, hfhub.ErrNotFound), "without a token a private repository looks missing")

	with := newHarness(t, func(o *hfhub.Options) { o.Token = hubtest.Token })
	facts, err := with.client.Inspect(context.Background(), "rational-ai/internal-chat-3b", "")
	require.NoError(t, err)
	assert.True(t, facts.Private)
	assert.Equal(t, int64(3212749824), facts.Parameters)

	requests := with.server.Requests()
	require.NotEmpty(t, requests)
	for _, request := range requests {
		assert.Equal(t, "Bearer "+hubtest.Token, request.Authorization, request.Path)
	}
}

func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	const secret = "hf_secret_value_that_must_not_leak"
	h := newHarness(t, func(o *hfhub.Options) { o.Token = secret })

	_, err := h.client.Inspect(context.Background(), "rational-ai/internal-chat-3b", "")
	require.Error(t, err, "the server accepts only its own test token")
	assert.NotContains(t, err.Error(), secret)
	assert.Contains(t, err.Error(), "HF_TOKEN was sent")

	h.server.Override(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(strings.Repeat("x", 70) + r.Header.Get("Authorization")))
	})
	_, err = h.client.Inspect(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	require.Error(t, err)
	assert.True(t, hfhub.CouldNotVerify(err))

	assert.NotContains(t, err.Error(), secret, "an echoed Authorization header is redacted")
	assert.NotContains(t, err.Error(), secret[:6], "not even a prefix survives the quote's truncation")

	assert.NotContains(t, h.logs.String(), secret)
	assert.Contains(t, h.logs.String(), "hugging face hub lookup failed")
}

func TestRevisionIsEscaped(t *testing.T) {
	h := newHarness(t, nil)
	h.server.SetFixture(hubtest.Fixture{
		Note: "test", Repo: "Qwen/Qwen2.5-7B-Instruct", Revision: "refs/pr/1",
		Status: 200, Body: []byte(`{"id":"Qwen/Qwen2.5-7B-Instruct","sha":"pr1sha"}`),
	})

	info, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "refs/pr/1")
	require.NoError(t, err)
	assert.Equal(t, "pr1sha", info.SHA)

	requests := h.server.Requests()
	require.Len(t, requests, 1)
	assert.Equal(t, "/api/models/Qwen/Qwen2.5-7B-Instruct/revision/refs%2Fpr%2F1", requests[0].Path)
}

func TestRevisionNotFound(t *testing.T) {
	h := newHarness(t, nil)

	_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "no-such-branch")
	require.Error(t, err)
	assert.True(t, errors.Is(err, hfhub.ErrRevisionNotFound))
	assert.False(t, errors.Is(err, hfhub.ErrNotFound))
	assert.Contains(t, err.Error(), `"no-such-branch"`)
}

func TestInvalidInputSendsNothing(t *testing.T) {
	h := newHarness(t, nil)

	for _, id := range []string{"../etc/passwd", "a/b/c", "owner/..", "owner/name?x", ""} {
		_, err := h.client.ModelInfo(context.Background(), id, "")
		assert.True(t, errors.Is(err, hfhub.ErrInvalidInput), "%q", id)
	}
	_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "../../x")
	assert.True(t, errors.Is(err, hfhub.ErrInvalidInput))

	assert.Empty(t, h.server.Requests())
}

func TestCacheReusesAnswersUntilTTL(t *testing.T) {
	h := newHarness(t, func(o *hfhub.Options) {
		o.CacheTTL = 10 * time.Minute
		o.NegativeCacheTTL = 30 * time.Second
	})
	ctx := context.Background()

	for range 3 {
		_, err := h.client.ModelInfo(ctx, "Qwen/Qwen2.5-7B-Instruct", "")
		require.NoError(t, err)
	}
	assert.Len(t, h.server.Requests(), 1, "answers within the TTL come from the cache")

	_, err := h.client.ModelInfo(ctx, "Qwen/Qwen2.5-7B-Instruct", "main")
	require.Error(t, err, "no fixture for revision main")
	assert.Len(t, h.server.Requests(), 2, "another revision is another cache entry")

	h.clock.Advance(10 * time.Minute)
	_, err = h.client.ModelInfo(ctx, "Qwen/Qwen2.5-7B-Instruct", "")
	require.NoError(t, err)
	assert.Len(t, h.server.Requests(), 3, "an expired entry is fetched again")
}

func TestCacheKeepsNegativeAnswersBriefly(t *testing.T) {
	h := newHarness(t, func(o *hfhub.Options) { o.NegativeCacheTTL = 30 * time.Second })
	ctx := context.Background()

	for range 2 {
		_, err := h.client.ModelInfo(ctx, "rational-ai/no-such-model-7b", "")
		require.True(t, errors.Is(err, hfhub.ErrNotFound))
	}
	assert.Len(t, h.server.Requests(), 1)

	h.clock.Advance(30 * time.Second)
	_, err := h.client.ModelInfo(ctx, "rational-ai/no-such-model-7b", "")
	require.True(t, errors.Is(err, hfhub.ErrNotFound))
	assert.Len(t, h.server.Requests(), 2)
}

func TestCacheDisabled(t *testing.T) {
	h := newHarness(t, func(o *hfhub.Options) {
		o.CacheTTL = -1
		o.NegativeCacheTTL = -1
	})
	for range 2 {
		_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
		require.NoError(t, err)
	}
	assert.Len(t, h.server.Requests(), 2)
}

func TestServerErrorsAreUnreachableAndNotCached(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable} {
		h := newHarness(t, nil)
		h.server.Override(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"error":"overloaded"}`))
		})

		for range 2 {
			_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
			require.Error(t, err)
			assert.True(t, hfhub.CouldNotVerify(err), "status %d", status)
			assert.Contains(t, err.Error(), "overloaded")
		}
		assert.Len(t, h.server.Requests(), 2, "status %d must not be cached", status)
	}
}

func TestUnreachableHub(t *testing.T) {
	h := newHarness(t, nil)
	h.server.Close()

	_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	require.Error(t, err)
	assert.True(t, errors.Is(err, hfhub.ErrUnreachable))
	assert.True(t, hfhub.CouldNotVerify(err))
	assert.Contains(t, err.Error(), "could not be verified")
}

func TestRequestTimeout(t *testing.T) {
	h := newHarness(t, func(o *hfhub.Options) { o.RequestTimeout = 100 * time.Millisecond })
	h.server.Override(func(_ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})

	started := time.Now()
	_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	require.Error(t, err)
	assert.True(t, hfhub.CouldNotVerify(err))
	assert.Contains(t, err.Error(), "no answer")
	assert.Less(t, time.Since(started), 5*time.Second)
}

func TestCallerCancellation(t *testing.T) {
	h := newHarness(t, nil)
	arrived := make(chan struct{})
	h.server.Override(func(_ http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	})

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()

	_, err := h.client.ModelInfo(ctx, "Qwen/Qwen2.5-7B-Instruct", "")
	require.Error(t, err)
	assert.Equal(t, hfhub.KindCanceled, hfhub.KindOf(err))
	assert.False(t, hfhub.CouldNotVerify(err))
}

func TestBodyLimit(t *testing.T) {
	h := newHarness(t, func(o *hfhub.Options) { o.MaxBodyBytes = 1024 })
	h.server.Override(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"id":"a/b","padding":"` + strings.Repeat("x", 4096) + `"}`))
	})

	_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	require.Error(t, err)
	assert.Equal(t, hfhub.KindInvalidResponse, hfhub.KindOf(err))
	assert.Contains(t, err.Error(), "exceeds 1024 bytes")
}

func TestNonJSONAnswer(t *testing.T) {
	h := newHarness(t, nil)
	h.server.Override(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`<html>captive portal</html>`))
	})

	_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	require.Error(t, err)
	assert.Equal(t, hfhub.KindInvalidResponse, hfhub.KindOf(err))
	assert.Contains(t, err.Error(), "captive portal")
}

func TestForbiddenAndOtherStatuses(t *testing.T) {
	h := newHarness(t, nil)
	h.server.Override(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":"Access denied"}`))
	})
	_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	assert.True(t, errors.Is(err, hfhub.ErrNotFound))
	assert.Contains(t, err.Error(), "Access denied")

	h.server.Override(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	_, err = h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "x")
	assert.Equal(t, hfhub.KindUpstream, hfhub.KindOf(err))
	assert.Contains(t, err.Error(), "HTTP 418")
}

func TestOfflineSendsNothing(t *testing.T) {
	h := newHarness(t, func(o *hfhub.Options) { o.Offline = true })

	_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	assert.True(t, hfhub.CouldNotVerify(err))
	assert.Contains(t, err.Error(), "HF_HUB_OFFLINE")
	assert.Empty(t, h.server.Requests())
}

func TestOfflineReasonAndHint(t *testing.T) {
	h := newHarness(t, func(o *hfhub.Options) {
		o.Offline = true
		o.OfflineReason = "offline because of --demo"
		o.OfflineHint = "set --hub-endpoint"
	})

	_, err := h.client.ModelInfo(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
	assert.True(t, hfhub.CouldNotVerify(err))
	assert.Contains(t, err.Error(), "offline because of --demo; set --hub-endpoint")
	assert.NotContains(t, err.Error(), "HF_HUB_OFFLINE")
	assert.Empty(t, h.server.Requests())
}

func TestEndpointValidation(t *testing.T) {
	for _, endpoint := range []string{"ftp://hub.example", "huggingface.co", "https://", "https://user:pw@hub.example", "https://hub.example/?x=1", "https://hub.example/#f"} {
		_, err := hfhub.New(hfhub.Options{Endpoint: endpoint})
		require.Error(t, err, endpoint)
		assert.Contains(t, err.Error(), "HF_ENDPOINT", endpoint)
		assert.NotContains(t, err.Error(), "pw@", "credentials are not echoed back in full")
	}

	for name, opts := range map[string]hfhub.Options{
		"negative timeout":    {RequestTimeout: -time.Second},
		"negative body limit": {MaxBodyBytes: -1},
		"negative cache size": {CacheMaxEntries: -1},
	} {
		_, err := hfhub.New(opts)
		assert.Error(t, err, name)
	}

	client, err := hfhub.New(hfhub.Options{})
	require.NoError(t, err)
	assert.Equal(t, hfhub.DefaultEndpoint, client.Endpoint())

	client, err = hfhub.New(hfhub.Options{Endpoint: "http://127.0.0.1:9/mirror/"})
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9/mirror", client.Endpoint())
}

func TestOptionsFromEnv(t *testing.T) {
	env := map[string]string{"HF_ENDPOINT": " http://127.0.0.1:1 ", "HF_TOKEN": "tok", "HF_HUB_OFFLINE": "1"}
	opts := hfhub.OptionsFromEnv(func(name string) string { return env[name] })

	assert.Equal(t, "http://127.0.0.1:1", opts.Endpoint)
	assert.Equal(t, "tok", opts.Token)
	assert.True(t, opts.Offline)

	opts = hfhub.OptionsFromEnv(func(string) string { return "" })
	assert.Empty(t, opts.Endpoint)
	assert.False(t, opts.Offline)
}

func TestConcurrentLookups(t *testing.T) {
	h := newHarness(t, nil)

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.client.Inspect(context.Background(), "Qwen/Qwen2.5-7B-Instruct-AWQ", "")
			assert.NoError(t, err)
		}()
	}
	wg.Wait()

	// Concurrent lookups share one model info request and one config.json
	// request. Afterwards the cache returns the result.
	assert.Len(t, h.server.Requests(), 2)
	_, err := h.client.Inspect(context.Background(), "Qwen/Qwen2.5-7B-Instruct-AWQ", "")
	require.NoError(t, err)
	assert.Len(t, h.server.Requests(), 2)
}
