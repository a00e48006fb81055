package simulator

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSyntheticModelsListedAfterSeed(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, Seed: true, SyntheticModels: 120})

	resp := h.do(http.MethodGet, "/management/v0/models?page=0&size=200", nil)
	require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
	var page struct {
		Content []struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"content"`
		TotalElements int `json:"totalElements"`
	}
	resp.decode(t, &page)

	seeded := len(seedCatalog)
	assert.Equal(t, seeded+120, page.TotalElements)
	require.Len(t, page.Content, seeded+120)
	assert.Equal(t, SyntheticModelName(0), page.Content[seeded].Name)
	assert.Equal(t, "base", page.Content[seeded].Type)
	assert.Equal(t, "awq", page.Content[seeded+1].Type)
	assert.Equal(t, SyntheticModelName(119), page.Content[seeded+119].Name)
}

func TestSyntheticModelNamePattern(t *testing.T) {
	assert.Equal(t, "synthetic-org-7/model-00007", SyntheticModelName(7))
	assert.Equal(t, "synthetic-org-7/model-00107", SyntheticModelName(107))
}

func TestSyntheticModelsGettableByID(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, SyntheticModels: 3})

	resp := h.do(http.MethodGet, "/management/v0/models/"+nameUUID(SyntheticModelName(2)), nil)
	require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
	assert.Equal(t, SyntheticModelName(2), resp.object(t)["name"])
}
