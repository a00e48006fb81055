package simulator

import (
	"fmt"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// syntheticTypes are the weight formats that generated models cycle through.
var syntheticTypes = []controlroom.ModelType{
	controlroom.ModelTypeBase,
	controlroom.ModelTypeAWQ,
	controlroom.ModelTypeGGUF,
	controlroom.ModelTypeGGML,
}

// SyntheticModelName returns the Hugging Face id of the generated model
// number i (0-based), "synthetic-org-<i mod 100>/model-<i>", so a text
// filter such as "synthetic-org-7/" matches every hundredth model.
func SyntheticModelName(i int) string {
	return fmt.Sprintf("synthetic-org-%d/model-%05d", i%100, i)
}

// addSyntheticModels adds count generated 7B models with ids derived from
// their names. Model i has type syntheticTypes[i mod 4]. It runs from New,
// before the Simulator is shared.
func (s *Simulator) addSyntheticModels(count int) {
	created := s.now().Add(-s.timings.Total() - time.Minute)
	for i := range count {
		name := SyntheticModelName(i)
		s.addModel(&model{
			id:             nameUUID(name),
			name:           name,
			modelType:      syntheticTypes[i%len(syntheticTypes)],
			huggingFaceID:  optional(name),
			publisher:      optional(fmt.Sprintf("synthetic-org-%d", i%100)),
			numberOfParams: optional("7241732096"),
			description:    optional("Generated model for load and scale measurements"),
			createdAt:      created,
			updatedAt:      created,
		})
	}
}
