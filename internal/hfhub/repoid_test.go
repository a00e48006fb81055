package hfhub

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateRepoIDAccepts(t *testing.T) {
	valid := []string{
		"Qwen/Qwen2.5-7B-Instruct",
		"meta-llama/Llama-3.1-8B-Instruct",
		"bartowski/Meta-Llama-3.1-8B-Instruct-GGUF",
		"a/b",
		"_org/_name_",
		"user.name/model.v2",
		"0/9",
		strings.Repeat("n", MaxNamespaceLength) + "/" + strings.Repeat("m", MaxRepoNameLength),
	}
	for _, id := range valid {
		assert.NoError(t, ValidateRepoID(id), id)
	}
}

func TestValidateRepoIDRejects(t *testing.T) {
	cases := []struct {
		id     string
		reason string
	}{
		{"", "empty"},
		{"gpt2", "exactly one '/'"},
		{"a/b/c", "exactly one '/'"},
		{"/name", "namespace is empty"},
		{"owner/", "name is empty"},
		{" owner/name", "spaces"},
		{"owner/name ", "spaces"},
		{"owner/na me", `contains " "`},
		{"owner/../x", "exactly one '/'"},
		{"../name", "start and end"},
		{"owner/..", "start and end"},
		{"owner/a..b", `".."`},
		{"owner/a--b", `"--"`},
		{"-owner/name", "start and end"},
		{"owner/name-", "start and end"},
		{"owner/.name", "start and end"},
		{"owner/name.git", ".git"},
		{"owner/name%2F..", `contains "%"`},
		{"owner/name?x=1", `contains "?"`},
		{"owner/name#x", `contains "#"`},
		{"owner\\name", "exactly one '/'"},
		{"owner/nämé", `contains "ä"`},
		{"owner/name\n", "spaces"},
		{"owner/na\x00me", `contains "\x00"`},
		{strings.Repeat("n", MaxNamespaceLength+1) + "/m", "maximum is 96"},
		{"n/" + strings.Repeat("m", MaxRepoNameLength+1), "maximum is 96"},
	}
	for _, tc := range cases {
		err := ValidateRepoID(tc.id)
		require.Error(t, err, "%q", tc.id)
		assert.Contains(t, err.Error(), tc.reason, "%q", tc.id)
		assert.Equal(t, KindInvalidRepoID, KindOf(err), "%q", tc.id)
		assert.True(t, errors.Is(err, ErrInvalidInput), "%q", tc.id)
		assert.Contains(t, err.Error(), `namespace/name`, "the hint shows the expected form")
	}
}

func TestValidateRepoIDSuggestsIDForURL(t *testing.T) {
	for _, input := range []string{
		"https://huggingface.co/Qwen/Qwen2.5-7B-Instruct",
		"huggingface.co/Qwen/Qwen2.5-7B-Instruct/tree/main",
		"https://hf.co/Qwen/Qwen2.5-7B-Instruct",
	} {
		err := ValidateRepoID(input)
		require.Error(t, err, input)
		assert.Contains(t, err.Error(), `use only the id "Qwen/Qwen2.5-7B-Instruct"`, input)
	}

	err := ValidateRepoID("https://example.com/Qwen/Qwen2.5-7B-Instruct")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "use only the id", "only Hub URLs are recognized")
}

func TestValidateRepoIDQuotesControlCharacters(t *testing.T) {
	err := ValidateRepoID("owner/evil\nINFO forged log line")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n")
}

func TestValidateRevision(t *testing.T) {
	for _, revision := range []string{"", "main", "v1.0", "refs/pr/1", "0e9e39f249a16976918f6564b8830bc894c89659", "release/2024-09"} {
		assert.NoError(t, ValidateRevision(revision), revision)
	}

	for _, revision := range []string{"..", "../main", "a//b", "/main", "main/", "a/./b", "ma in", "a\\b", "a?b", "a#b", "a%2Fb", "a\x00b", strings.Repeat("r", MaxRevisionLength+1), "\xff"} {
		err := ValidateRevision(revision)
		require.Error(t, err, "%q", revision)
		assert.Equal(t, KindInvalidRevision, KindOf(err), "%q", revision)
		assert.True(t, errors.Is(err, ErrInvalidInput), "%q", revision)
	}
}

func TestSplitRepoID(t *testing.T) {
	namespace, name := SplitRepoID("Qwen/Qwen2.5-7B-Instruct")
	assert.Equal(t, "Qwen", namespace)
	assert.Equal(t, "Qwen2.5-7B-Instruct", name)

	namespace, name = SplitRepoID("a/b/c")
	assert.Empty(t, namespace)
	assert.Empty(t, name)

	namespace, name = SplitRepoID("gpt2")
	assert.Empty(t, namespace)
	assert.Empty(t, name)
}
