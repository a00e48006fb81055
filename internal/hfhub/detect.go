package hfhub

import (
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Format is the weight format detected from a repository's files and config.
type Format string

// The detected formats. Each maps to one Control Room type, or to
// TypeUnknown where the Control Room has no matching type.
const (
	FormatGGUF        Format = "gguf"        // .gguf files
	FormatAWQ         Format = "awq"         // quantization_config.quant_method "awq"
	FormatGGML        Format = "ggml"        // legacy GGML .bin files
	FormatSafetensors Format = "safetensors" // unquantized .safetensors weights
	FormatPyTorch     Format = "pytorch"     // unquantized pytorch_model*.bin weights
	FormatQuantized   Format = "quantized"   // another quant method (gptq, fp8, bitsandbytes...)
	FormatAdapter     Format = "adapter"     // a LoRA adapter without full weights
	FormatUnknown     Format = "unknown"     // no weight files recognized
)

// TypeUnknown is the type reported when no Control Room type matches the
// repository. It is not a valid controlroom.ModelType, so it can never be
// registered by accident.
const TypeUnknown controlroom.ModelType = "unknown"

// Detection is the result of DetectFormat.
type Detection struct {
	Format Format
	// Type is the matching Control Room type, or TypeUnknown.
	Type controlroom.ModelType
	// Reason names the files or config field that decided the format.
	Reason string
	// WeightFiles are the files that hold the weights in this format. For
	// GGUF and GGML they cover every variant; see Variants.
	WeightFiles []Sibling
	// Variants groups GGUF or GGML files by quantization label. Each
	// variant is a complete copy of the model.
	Variants []Variant
}

// Variant is one quantization in a GGUF or GGML repository, possibly split
// into several files ("-00001-of-00003").
type Variant struct {
	// Label is the quantization from the file name, such as "Q4_K_M", or
	// the file name without extension when it names none.
	Label string
	Files []string
	// Bytes is the sum of the file sizes, valid when SizeKnown.
	Bytes     int64
	SizeKnown bool
}

// DetectFormat decides the weight format of a repository from its file
// names and config. The rules apply in order:
//   - any .gguf file means gguf,
//   - quant_method "awq", or the "awq" tag when the config has no
//     quantization_config, means awq,
//   - .bin files with "ggml" in the name mean ggml,
//   - another quant method means TypeUnknown,
//   - root-level .safetensors or pytorch_model*.bin files mean base.
func DetectFormat(info *ModelInfo) Detection {
	files := classifyFiles(info.Siblings)
	quant := quantization(info)

	switch {
	case len(files.gguf) > 0:
		return Detection{
			Format:      FormatGGUF,
			Type:        controlroom.ModelTypeGGUF,
			Reason:      plural(len(files.gguf), ".gguf file") + " in the repository",
			WeightFiles: files.gguf,
			Variants:    groupVariants(files.gguf),
		}

	case quant != nil && strings.EqualFold(quant.Method, "awq"):
		return Detection{
			Format:      FormatAWQ,
			Type:        controlroom.ModelTypeAWQ,
			Reason:      `config.quantization_config.quant_method is "awq"`,
			WeightFiles: files.mainWeights(),
		}

	case quant == nil && hasTag(info.Tags, "awq") && len(files.mainWeights()) > 0:
		return Detection{
			Format:      FormatAWQ,
			Type:        controlroom.ModelTypeAWQ,
			Reason:      `the repository is tagged "awq" (the config sent by the Hub has no quantization_config)`,
			WeightFiles: files.mainWeights(),
		}

	case len(files.ggml) > 0:
		return Detection{
			Format:      FormatGGML,
			Type:        controlroom.ModelTypeGGML,
			Reason:      plural(len(files.ggml), "legacy GGML .bin file") + " in the repository",
			WeightFiles: files.ggml,
			Variants:    groupVariants(files.ggml),
		}

	case quant != nil && quant.Method != "" && len(files.mainWeights()) > 0:
		return Detection{
			Format:      FormatQuantized,
			Type:        TypeUnknown,
			Reason:      `config.quantization_config.quant_method is "` + quant.Method + `", which matches no Control Room type (base is for unquantized weights)`,
			WeightFiles: files.mainWeights(),
		}

	case len(files.safetensors) > 0:
		return Detection{
			Format:      FormatSafetensors,
			Type:        controlroom.ModelTypeBase,
			Reason:      plural(len(files.safetensors), "root-level .safetensors file") + " without a quantization_config",
			WeightFiles: files.safetensors,
		}

	case len(files.pytorch) > 0:
		return Detection{
			Format:      FormatPyTorch,
			Type:        controlroom.ModelTypeBase,
			Reason:      plural(len(files.pytorch), "pytorch_model .bin file") + " without a quantization_config",
			WeightFiles: files.pytorch,
		}

	case files.adapter:
		return Detection{
			Format: FormatAdapter,
			Type:   TypeUnknown,
			Reason: "the repository holds a LoRA adapter (adapter_config.json) without full model weights; register its base model instead",
		}
	}

	return Detection{
		Format: FormatUnknown,
		Type:   TypeUnknown,
		Reason: "no .gguf, .safetensors, pytorch_model .bin or GGML file in the file list",
	}
}

// repoFiles sorts a repository's files by weight format.
type repoFiles struct {
	gguf        []Sibling
	ggml        []Sibling
	safetensors []Sibling
	pytorch     []Sibling
	adapter     bool
}

// mainWeights returns the files that a serving backend loads for a
// transformers-format repository: safetensors when present, else pytorch.
func (f repoFiles) mainWeights() []Sibling {
	if len(f.safetensors) > 0 {
		return f.safetensors
	}
	return f.pytorch
}

// classifyFiles sorts siblings by format. Only root-level safetensors and
// pytorch files count, because repositories often keep a second copy of the
// weights in a subfolder (Llama's original/consolidated.00.pth). Mistral's
// root-level consolidated.safetensors duplicates model-*.safetensors and is
// dropped when those exist. GGUF files count in any folder, except mmproj
// files, which hold a vision projector rather than the language model.
func classifyFiles(siblings []Sibling) repoFiles {
	var files repoFiles
	var consolidated []Sibling

	for _, sibling := range siblings {
		name := sibling.Filename
		base := path.Base(name)
		lower := strings.ToLower(base)
		atRoot := !strings.Contains(name, "/")

		switch {
		case strings.HasSuffix(lower, ".gguf"):
			if !strings.HasPrefix(lower, "mmproj") {
				files.gguf = append(files.gguf, sibling)
			}
		case strings.HasSuffix(lower, ".bin") && strings.Contains(lower, "ggml"),
			strings.HasSuffix(lower, ".ggml"):
			files.ggml = append(files.ggml, sibling)
		case lower == "adapter_config.json":
			files.adapter = true
		case !atRoot:
			continue
		case strings.HasPrefix(lower, "adapter_model"):
			continue
		case strings.HasSuffix(lower, ".safetensors") && strings.HasPrefix(lower, "consolidated"):
			consolidated = append(consolidated, sibling)
		case strings.HasSuffix(lower, ".safetensors"):
			files.safetensors = append(files.safetensors, sibling)
		case strings.HasSuffix(lower, ".bin") && strings.HasPrefix(lower, "pytorch_model"):
			files.pytorch = append(files.pytorch, sibling)
		}
	}

	if len(files.safetensors) == 0 {
		files.safetensors = consolidated
	}
	return files
}

func quantization(info *ModelInfo) *QuantizationConfig {
	if info.Config == nil {
		return nil
	}
	return info.Config.Quantization
}

func hasTag(tags []string, want string) bool {
	for _, tag := range tags {
		if strings.EqualFold(tag, want) {
			return true
		}
	}
	return false
}

var (
	// splitSuffix matches llama.cpp's split-file suffix.
	splitSuffix = regexp.MustCompile(`(?i)-\d{5}-of-\d{5}$`)
	// quantLabel matches a GGUF quantization label at the end of a name:
	// Q4_K_M, Q8_0, IQ3_XXS, BF16, F16, F32, or MXFP4.
	quantLabel = regexp.MustCompile(`(?i)(?:^|[-._])(I?Q[1-8](?:_[0-9A-Z]+)*|BF16|F16|FP16|F32|MXFP4)$`)
)

// GGUFLabel returns the quantization label in a GGUF or GGML file name,
// upper-cased, or "" when the name carries none.
func GGUFLabel(filename string) string {
	name := path.Base(filename)
	name = strings.TrimSuffix(name, path.Ext(name))
	name = splitSuffix.ReplaceAllString(name, "")

	match := quantLabel.FindStringSubmatch(name)
	if match == nil {
		return ""
	}
	return strings.ToUpper(match[1])
}

func groupVariants(files []Sibling) []Variant {
	byLabel := map[string]*Variant{}
	var order []string

	for _, file := range files {
		label := GGUFLabel(file.Filename)
		if label == "" {
			base := path.Base(file.Filename)
			label = splitSuffix.ReplaceAllString(strings.TrimSuffix(base, path.Ext(base)), "")
		}

		variant, ok := byLabel[label]
		if !ok {
			variant = &Variant{Label: label, SizeKnown: true}
			byLabel[label] = variant
			order = append(order, label)
		}
		variant.Files = append(variant.Files, file.Filename)
		if variant.SizeKnown {
			variant.Bytes, variant.SizeKnown = addSize(variant.Bytes, file)
		}
	}

	sort.Strings(order)
	variants := make([]Variant, 0, len(order))
	for _, label := range order {
		variant := *byLabel[label]
		if !variant.SizeKnown {
			variant.Bytes = 0
		}
		variants = append(variants, variant)
	}
	return variants
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
