package hfhub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"
)

// DecodeModelInfo decodes a model info body in the Hub's shapes. The body
// must be a JSON object, or the error is of kind KindInvalidResponse. Unknown
// fields are ignored, and a known field with an unexpected shape is skipped
// with a line in ModelInfo.Warnings.
func DecodeModelInfo(body []byte) (*ModelInfo, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, &Error{
			Kind:    KindInvalidResponse,
			Message: "the response is not a JSON object: " + quoteStart(body),
			Hint:    "check that HF_ENDPOINT points at a Hugging Face Hub",
			Err:     err,
		}
	}

	d := &decoder{}
	info := &ModelInfo{}

	field(d, fields, "id", &info.ID)
	if info.ID == "" {
		// Older responses name the id "modelId".
		field(d, fields, "modelId", &info.ID)
	}
	field(d, fields, "author", &info.Author)
	field(d, fields, "sha", &info.SHA)
	field(d, fields, "private", &info.Private)
	field(d, fields, "disabled", &info.Disabled)
	field(d, fields, "downloads", &info.Downloads)
	field(d, fields, "likes", &info.Likes)
	field(d, fields, "tags", &info.Tags)
	field(d, fields, "pipeline_tag", &info.PipelineTag)
	field(d, fields, "library_name", &info.LibraryName)

	if raw, ok := present(fields, "gated"); ok {
		gated, err := decodeGated(raw)
		d.check("gated", err)
		info.Gated = gated
	}

	var lastModified string
	field(d, fields, "lastModified", &lastModified)
	if lastModified != "" {
		parsed, err := time.Parse(time.RFC3339Nano, lastModified)
		d.check("lastModified", err)
		info.LastModified = parsed
	}

	info.Safetensors = d.safetensors(fields)
	info.GGUF = d.gguf(fields)
	info.Config = d.config(fields)
	info.CardData = d.cardData(fields)
	info.Siblings = d.siblings(fields)

	info.Warnings = d.warnings
	return info, nil
}

// DecodeConfig decodes a repository's config.json. The body must be a JSON
// object, or the error is of kind KindInvalidResponse. Fields with an
// unexpected shape are left zero.
func DecodeConfig(body []byte) (*Config, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, &Error{
			Kind:    KindInvalidResponse,
			Message: "config.json is not a JSON object: " + quoteStart(body),
			Err:     err,
		}
	}

	d := &decoder{}
	return d.configObject(fields), nil
}

// decoder collects warnings while known fields are decoded one by one.
type decoder struct {
	warnings []string
}

func (d *decoder) check(name string, err error) {
	if err != nil {
		d.warnings = append(d.warnings, fmt.Sprintf("field %q has an unexpected shape and was ignored: %v", name, err))
	}
}

// field decodes fields[name] into dst unless it is absent or null. On a
// shape mismatch dst keeps its value and a warning is recorded.
func field[T any](d *decoder, fields map[string]json.RawMessage, name string, dst *T) {
	raw, ok := present(fields, name)
	if !ok {
		return
	}

	var value T
	if err := json.Unmarshal(raw, &value); err != nil {
		d.check(name, err)
		return
	}
	*dst = value
}

// present returns fields[name] unless it is absent or JSON null.
func present(fields map[string]json.RawMessage, name string) (json.RawMessage, bool) {
	raw, ok := fields[name]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, false
	}
	return raw, true
}

// object decodes fields[name] as a JSON object, recording a warning when it
// is something else.
func (d *decoder) object(fields map[string]json.RawMessage, name string) map[string]json.RawMessage {
	raw, ok := present(fields, name)
	if !ok {
		return nil
	}

	var inner map[string]json.RawMessage
	if err := json.Unmarshal(raw, &inner); err != nil {
		d.check(name, err)
		return nil
	}
	return inner
}

func decodeGated(raw json.RawMessage) (Gated, error) {
	var flag bool
	if err := json.Unmarshal(raw, &flag); err == nil {
		return Gated{Enabled: flag}, nil
	}

	var mode string
	if err := json.Unmarshal(raw, &mode); err != nil {
		return Gated{}, fmt.Errorf("want false or a string, got %s", quoteStart(raw))
	}
	if mode == "" || mode == "false" {
		return Gated{}, nil
	}
	return Gated{Enabled: true, Mode: mode}, nil
}

// decodeStringOrList accepts "x" or ["x", "y"], the two shapes that model
// card metadata uses for license and base_model.
func decodeStringOrList(raw json.RawMessage) ([]string, error) {
	var single string
	if err := json.Unmarshal(raw, &single); err == nil {
		if single == "" {
			return nil, nil
		}
		return []string{single}, nil
	}

	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("want a string or a list of strings, got %s", quoteStart(raw))
	}
	return list, nil
}

func (d *decoder) safetensors(fields map[string]json.RawMessage) *SafetensorsInfo {
	inner := d.object(fields, "safetensors")
	if inner == nil {
		return nil
	}

	info := &SafetensorsInfo{}
	field(d, inner, "parameters", &info.Parameters)
	field(d, inner, "total", &info.Total)

	if info.Total == 0 {
		info.Total = sumCounts(info.Parameters)
	}
	return info
}

func sumCounts(counts map[string]int64) int64 {
	keys := make([]string, 0, len(counts))
	for key := range counts {
		keys = append(keys, key)
	}
	sort.Strings(keys)

	var total int64
	for _, key := range keys {
		count := counts[key]
		if count <= 0 {
			continue
		}
		if total > math.MaxInt64-count {
			return 0
		}
		total += count
	}
	return total
}

func (d *decoder) gguf(fields map[string]json.RawMessage) *GGUFInfo {
	inner := d.object(fields, "gguf")
	if inner == nil {
		return nil
	}

	info := &GGUFInfo{}
	field(d, inner, "total", &info.Total)
	field(d, inner, "architecture", &info.Architecture)
	field(d, inner, "context_length", &info.ContextLength)
	return info
}

func (d *decoder) config(fields map[string]json.RawMessage) *Config {
	inner := d.object(fields, "config")
	if inner == nil {
		return nil
	}
	return d.configObject(inner)
}

// configObject decodes the fields of a config object, as sent in the model
// info or as stored in config.json.
func (d *decoder) configObject(inner map[string]json.RawMessage) *Config {
	config := &Config{}
	field(d, inner, "architectures", &config.Architectures)
	field(d, inner, "model_type", &config.ModelType)
	config.Quantization = d.quantization(inner)
	d.configSizes(inner, config)

	// Multimodal configs keep the language model's sizes in text_config.
	if text := d.object(inner, "text_config"); text != nil {
		d.configSizes(text, config)
	}
	return config
}

// configSizes fills the size fields of config that are still zero.
func (d *decoder) configSizes(fields map[string]json.RawMessage, config *Config) {
	fill := func(name string, dst *int64) {
		if *dst == 0 {
			field(d, fields, name, dst)
		}
	}
	fill("num_hidden_layers", &config.NumHiddenLayers)
	fill("num_attention_heads", &config.NumAttentionHeads)
	fill("num_key_value_heads", &config.NumKeyValueHeads)
	fill("head_dim", &config.HeadDim)
	fill("hidden_size", &config.HiddenSize)
	fill("max_position_embeddings", &config.MaxPositionEmbeddings)

	if config.TorchDtype == "" {
		field(d, fields, "torch_dtype", &config.TorchDtype)
	}
	if config.TorchDtype == "" {
		field(d, fields, "dtype", &config.TorchDtype)
	}
}

func (d *decoder) quantization(fields map[string]json.RawMessage) *QuantizationConfig {
	inner := d.object(fields, "quantization_config")
	if inner == nil {
		return nil
	}

	quant := &QuantizationConfig{}
	field(d, inner, "quant_method", &quant.Method)
	field(d, inner, "bits", &quant.Bits)
	if quant.Bits == 0 {
		// AutoAWQ writes "w_bit" where transformers writes "bits".
		field(d, inner, "w_bit", &quant.Bits)
	}
	field(d, inner, "group_size", &quant.GroupSize)
	if quant.GroupSize == 0 {
		field(d, inner, "q_group_size", &quant.GroupSize)
	}
	field(d, inner, "version", &quant.Version)
	return quant
}

func (d *decoder) cardData(fields map[string]json.RawMessage) *CardData {
	inner := d.object(fields, "cardData")
	if inner == nil {
		return nil
	}

	card := &CardData{}
	if raw, ok := present(inner, "license"); ok {
		license, err := decodeStringOrList(raw)
		d.check("cardData.license", err)
		card.License = license
	}
	field(d, inner, "license_name", &card.LicenseName)
	if raw, ok := present(inner, "base_model"); ok {
		bases, err := decodeStringOrList(raw)
		d.check("cardData.base_model", err)
		card.BaseModels = bases
	}
	return card
}

// wireSibling is one entry of "siblings" as sent.
type wireSibling struct {
	Filename string `json:"rfilename"`
	Size     *int64 `json:"size"`
	BlobID   string `json:"blobId"`
	LFS      *struct {
		SHA256      string `json:"sha256"`
		Size        int64  `json:"size"`
		PointerSize int64  `json:"pointerSize"`
	} `json:"lfs"`
}

func (d *decoder) siblings(fields map[string]json.RawMessage) []Sibling {
	raw, ok := present(fields, "siblings")
	if !ok {
		return nil
	}

	var entries []json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		d.check("siblings", err)
		return nil
	}

	siblings := make([]Sibling, 0, len(entries))
	for i, entry := range entries {
		var wire wireSibling
		if err := json.Unmarshal(entry, &wire); err != nil || wire.Filename == "" {
			if err == nil {
				err = fmt.Errorf("no rfilename")
			}
			d.check(fmt.Sprintf("siblings[%d]", i), err)
			continue
		}

		sibling := Sibling{Filename: wire.Filename, BlobID: wire.BlobID}
		if wire.Size != nil && *wire.Size >= 0 {
			sibling.Size, sibling.SizeKnown = *wire.Size, true
		}
		if wire.LFS != nil {
			sibling.LFS = &LFSInfo{SHA256: wire.LFS.SHA256, Size: wire.LFS.Size, PointerSize: wire.LFS.PointerSize}
			if !sibling.SizeKnown && wire.LFS.Size > 0 {
				sibling.Size, sibling.SizeKnown = wire.LFS.Size, true
			}
		}
		siblings = append(siblings, sibling)
	}
	return siblings
}

// quoteStart returns the first bytes of body, quoted, for error messages.
func quoteStart(body []byte) string {
	const maxShown = 80
	if len(body) > maxShown {
		return fmt.Sprintf("%q...", body[:maxShown])
	}
	return fmt.Sprintf("%q", body)
}
