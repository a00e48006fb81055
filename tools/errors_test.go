package tools

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

func TestUpstreamErrorKeepsKind(t *testing.T) {
	kinds := []controlroom.Kind{
		controlroom.KindNotFound, controlroom.KindConflict, controlroom.KindBadRequest,
		controlroom.KindTimeout, controlroom.KindOutcomeUnknown, controlroom.KindUpstream,
	}
	for _, kind := range kinds {
		cause := &controlroom.Error{Kind: kind, Message: "detail"}
		for _, tool := range []string{"get_model", "register_model"} {
			err := upstreamError(tool, modelSubject("m1"), cause)
			assert.Equal(t, kind, controlroom.KindOf(err), "%s %s", tool, kind)
			assert.ErrorIs(t, err, cause, "%s %s", tool, kind)
		}
	}
}
