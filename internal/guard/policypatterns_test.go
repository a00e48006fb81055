package guard

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func policyWithPattern(key, pattern string) []byte {
	return []byte(fmt.Sprintf("version: 1\ndeploy:\n  preapprove:\n    - name: r\n      %s: [%q]\n", key, pattern))
}

func TestPolicyRejectsMatchEverythingPatterns(t *testing.T) {
	cases := []struct {
		key, pattern, want string
	}{
		{"huggingFaceIds", "*/*", "does not write out the organisation"},
		{"huggingFaceIds", "*/gemma-4-*-it", "does not write out the organisation"},
		{"huggingFaceIds", "goo?le/gemma", "does not write out the organisation"},
		{"huggingFaceIds", "[g]oogle/gemma", "does not write out the organisation"},
		{"huggingFaceIds", "/gemma", "does not write out the organisation"},
		{"huggingFaceIds", "*", "has no organisation"},
		{"huggingFaceIds", "gemma-4-12B-it", "has no organisation"},
		{"models", "*", "matches every catalog name"},
		{"models", "*/*", "matches every catalog name"},
		{"models", "?*", "matches every catalog name"},
	}
	for _, tc := range cases {
		t.Run(tc.key+" "+tc.pattern, func(t *testing.T) {
			_, err := ParsePolicy(policyWithPattern(tc.key, tc.pattern))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), tc.key)
		})
	}
}

func TestPolicyAcceptsNamedPatterns(t *testing.T) {
	for _, tc := range []struct{ key, pattern string }{
		{"huggingFaceIds", "google/*"},
		{"huggingFaceIds", "google/gemma-4-*-it"},
		{"models", "gemma-*"},
		{"models", "team-a/*"},
	} {
		_, err := ParsePolicy(policyWithPattern(tc.key, tc.pattern))
		assert.NoError(t, err, "%s %q", tc.key, tc.pattern)
	}
}

func TestPolicyZeroLimitMeansNoLimit(t *testing.T) {
	policy, err := ParsePolicy([]byte("version: 1\ndeploy:\n  preapprove:\n    - name: r\n      huggingFaceIds: [google/*]\n      maxParams: 0\n      maxGpus: 0\n      maxConcurrentDeployments: 0\n"))
	require.NoError(t, err)

	match := MatchDeploy(policy.Preapprovals, DeployFacts{HuggingFaceID: "google/gemma-4-12B-it", LiveDeployments: 100})
	assert.NotNil(t, match.Rule, "a zero limit sets no limit, so unknown figures match: %v", match.Misses)
}
