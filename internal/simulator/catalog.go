package simulator

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// seedModel is one demo catalog entry. Parameter counts are those shown on
// the Hugging Face model pages of the base models (2024), so the AWQ, GGUF
// and GGML repos list the count of the model they quantize. Sizes are the
// file sizes of the named quantization as listed in those repos, rounded;
// treat both as approximate.
type seedModel struct {
	huggingFaceID  string
	publisher      string
	modelType      controlroom.ModelType
	numberOfParams string
	quant          string
	size           string
	description    string
}

var seedCatalog = []seedModel{
	{"google/gemma-2-9b-it", "google", controlroom.ModelTypeBase, "9241705984", "", "",
		"Gemma 2 9B instruction-tuned"},
	{"meta-llama/Llama-3.1-8B-Instruct", "meta-llama", controlroom.ModelTypeBase, "8030261248", "", "",
		"Llama 3.1 8B instruction-tuned, 128k context"},
	{"meta-llama/Llama-3.1-70B-Instruct", "meta-llama", controlroom.ModelTypeBase, "70553706496", "", "",
		"Llama 3.1 70B instruction-tuned, 128k context"},
	{"mistralai/Mistral-7B-Instruct-v0.2", "mistralai", controlroom.ModelTypeBase, "7241732096", "", "",
		"Mistral 7B instruction-tuned, version 0.2"},
	{"Qwen/Qwen2.5-7B-Instruct", "Qwen", controlroom.ModelTypeBase, "7615616512", "", "",
		"Qwen2.5 7B instruction-tuned"},
	{"microsoft/Phi-3-mini-4k-instruct", "microsoft", controlroom.ModelTypeBase, "3821079552", "", "",
		"Phi-3 Mini instruction-tuned, 4k context"},
	{"Qwen/Qwen2.5-7B-Instruct-AWQ", "Qwen", controlroom.ModelTypeAWQ, "7615616512", "AWQ 4-bit", "",
		"Qwen2.5 7B instruction-tuned, AWQ 4-bit"},
	{"TheBloke/Mistral-7B-Instruct-v0.2-AWQ", "TheBloke", controlroom.ModelTypeAWQ, "7241732096", "AWQ 4-bit", "",
		"Mistral 7B Instruct v0.2, AWQ 4-bit"},
	{"hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4", "hugging-quants", controlroom.ModelTypeAWQ, "70553706496", "AWQ INT4", "",
		"Llama 3.1 70B Instruct, AWQ INT4"},
	{"TheBloke/Mistral-7B-Instruct-v0.2-GGUF", "TheBloke", controlroom.ModelTypeGGUF, "7241732096", "Q4_K_M", "4.37 GB",
		"Mistral 7B Instruct v0.2, GGUF quantizations"},
	{"Qwen/Qwen2.5-7B-Instruct-GGUF", "Qwen", controlroom.ModelTypeGGUF, "7615616512", "Q4_K_M", "",
		"Qwen2.5 7B instruction-tuned, GGUF quantizations"},
	{"TheBloke/Llama-2-7B-Chat-GGUF", "TheBloke", controlroom.ModelTypeGGUF, "6738415616", "Q4_K_M", "4.08 GB",
		"Llama 2 7B Chat, GGUF quantizations"},
	{"TheBloke/Llama-2-7B-Chat-GGML", "TheBloke", controlroom.ModelTypeGGML, "6738415616", "q4_0", "3.79 GB",
		"Llama 2 7B Chat, legacy GGML quantizations"},
	{"TheBloke/Llama-2-13B-chat-GGML", "TheBloke", controlroom.ModelTypeGGML, "13015864320", "q4_0", "7.32 GB",
		"Llama 2 13B Chat, legacy GGML quantizations"},
}

// SeededReadyModel is the name of the seeded model that starts with one
// ready deployment, created with forceDeployment=true and adapterScale=1.
const SeededReadyModel = "google/gemma-2-9b-it"

// seedCatalog adds the demo models, with ids derived from their names, and
// the ready deployment of SeededReadyModel. It runs from New, before the
// Simulator is shared.
func (s *Simulator) seedCatalog() {
	now := s.now()
	created := now.Add(-s.timings.Total() - time.Minute)

	for _, seed := range seedCatalog {
		m := &model{
			id:             nameUUID(seed.huggingFaceID),
			name:           seed.huggingFaceID,
			modelType:      seed.modelType,
			huggingFaceID:  optional(seed.huggingFaceID),
			publisher:      optional(seed.publisher),
			numberOfParams: optional(seed.numberOfParams),
			quant:          optional(seed.quant),
			size:           optional(seed.size),
			description:    optional(seed.description),
			card:           optional("https://huggingface.co/" + seed.huggingFaceID),
			createdAt:      created,
			updatedAt:      created,
		}
		s.addModel(m)
	}

	ready := s.modelsByName[SeededReadyModel]
	suffix := sha256.Sum256([]byte(SeededReadyModel))
	adapterScale := 1.0
	d := &deployment{
		id:          deploymentIDWithSuffix(ready.name, hex.EncodeToString(suffix[:deploymentSuffixHex/2])),
		model:       ready,
		gpuCount:    GPUsFor(ready.modelType, *ready.numberOfParams),
		parameters:  deployParameters{ForceDeployment: true, AdapterScale: &adapterScale},
		state:       stateAllocated,
		createdAt:   created,
		allocatedAt: created,
		updatedAt:   created,
	}
	if d.gpuCount > s.gpus {
		return
	}
	s.addDeployment(d)
}

// optional returns nil for "" and a pointer to value otherwise.
func optional(value string) *string {
	if value == "" {
		return nil
	}
	return &value
}
