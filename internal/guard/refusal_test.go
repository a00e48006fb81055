package guard

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// sentenceBreak is a period that ends one sentence and starts another.
var sentenceBreak = regexp.MustCompile(`\. [A-Z]`)

// assertOneSentence checks that a refusal reads as one sentence: the reason,
// then after a semicolon the next step, said once.
func assertOneSentence(t *testing.T, refusal *Refusal) {
	t.Helper()
	sentence := refusal.Sentence("deploy_model")
	assert.NotContains(t, refusal.Message, "nothing was run", "the sentence already says the tool was not run")
	assert.Contains(t, refusal.Message, "; ", "the reason is followed by the next step: %s", refusal.Message)
	assert.False(t, strings.HasSuffix(refusal.Message, "."), "Sentence adds the period: %s", refusal.Message)
	assert.False(t, sentenceBreak.MatchString(sentence), "one sentence: %s", sentence)
	assert.True(t, strings.HasPrefix(sentence, "deploy_model was not run because "), sentence)
}

func TestRefusalSentence(t *testing.T) {
	refusal := refuse(ReasonPending, "the user has not approved it yet; show the user the approval link")

	assert.Equal(t, "deploy_model was not run because the user has not approved it yet; show the user the approval link.", refusal.Sentence("deploy_model"))
	assertOneSentence(t, refusal)
}
