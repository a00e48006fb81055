package controlroom_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// BenchmarkDecodeModels measures decoding one catalog page of 20 records as
// the simulator sends it, which list_models pays for every upstream page.
func BenchmarkDecodeModels(b *testing.B) {
	server := httptest.NewServer(simulator.New(simulator.Options{Token: simToken, Seed: true, SyntheticModels: 20}))
	defer server.Close()
	req, err := http.NewRequest(http.MethodGet, server.URL+"/api/management/v0/models?page=0&size=20", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+simToken)
	resp, err := server.Client().Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("list models: HTTP %d, %v", resp.StatusCode, err)
	}
	var page struct {
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		b.Fatal(err)
	}

	b.SetBytes(int64(len(page.Content)))
	b.ReportAllocs()
	for b.Loop() {
		var models []controlroom.Model
		if err := json.Unmarshal(page.Content, &models); err != nil || len(models) != 20 {
			b.Fatalf("decoded %d models: %v", len(models), err)
		}
	}
}
