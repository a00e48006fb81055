package simulator

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

func controlroomType(name string) controlroom.ModelType { return controlroom.ModelType(name) }

func TestKebabCase(t *testing.T) {
	cases := map[string]string{
		"google/gemma-4-12B-it":                  "google-gemma-4-12-b-it",
		"google/gemma-2-9b-it":                   "google-gemma-2-9-b-it",
		"meta-llama/Llama-3.1-8B-Instruct":       "meta-llama-llama-3-1-8-b-instruct",
		"Qwen/Qwen2.5-7B-Instruct-AWQ":           "qwen-qwen-2-5-7-b-instruct-awq",
		"TheBloke/Mistral-7B-Instruct-v0.2-GGUF": "the-bloke-mistral-7-b-instruct-v-0-2-gguf",
		"HTTPServer":                             "http-server",
		"__weird__//name__":                      "weird-name",
		"modèle":                                 "mod-le",
		"///":                                    "",
	}
	for name, want := range cases {
		assert.Equal(t, want, kebabCase(name), "name %q", name)
	}
}

func TestDeploymentIDShape(t *testing.T) {
	assert.Equal(t, "model-google-gemma-4-12-b-it-420f1c9176bc",
		deploymentIDWithSuffix("google/gemma-4-12B-it", "420f1c9176bc"))
	assert.Regexp(t, `^model-google-gemma-4-12-b-it-[0-9a-f]{12}$`, newDeploymentID("google/gemma-4-12B-it"))
	assert.Regexp(t, `^model-[0-9a-f]{12}$`, newDeploymentID("///"))

	long := newDeploymentID(strings.Repeat("very-long-name/", 10))
	assert.LessOrEqual(t, len(long), maxDNSLabelLength)
	assert.Regexp(t, `^model-[a-z0-9-]*[a-z0-9]-[0-9a-f]{12}$`, long)
}

func TestUUIDs(t *testing.T) {
	id := newUUID()
	assert.True(t, isUUID(id), id)
	assert.Equal(t, byte('4'), id[14], "version 4 in %s", id)
	assert.NotEqual(t, id, newUUID())

	assert.Equal(t, nameUUID("a/b"), nameUUID("a/b"))
	assert.NotEqual(t, nameUUID("a/b"), nameUUID("a/c"))
	assert.True(t, isUUID(nameUUID("a/b")))

	for _, invalid := range []string{"", "deployments", "6f9619ff8b864d01b42d00c04fc964ff", "6f9619ff-8b86-4d01-b42d-00c04fc964fg", "{6f9619ff-8b86-4d01-b42d-00c04fc964ff}"} {
		assert.False(t, isUUID(invalid), invalid)
	}
}
