// Package controlroom is a typed client for the Rational AI Control Room
// Management API (group backend-management-v0), served under
// https://TENANT.rational.is/api.
//
// Field names follow the vendor's guide. Where the guide is silent (list
// shapes, status values, the bodies of deployment-status, pause, cancel and
// errors) the decoders accept every plausible shape and keep unknown JSON
// fields in Extra maps, so nothing the Control Room sends is lost.
package controlroom

import "encoding/json"

// ModelType is the weight format of a catalog model. It tells the serving
// backend how to load the weights, so it must match the Hugging Face repo.
type ModelType string

// The model types that the Management API accepts.
const (
	ModelTypeBase ModelType = "base" // full-precision weights (FP16/BF16)
	ModelTypeAWQ  ModelType = "awq"  // AWQ-quantized weights
	ModelTypeGGML ModelType = "ggml" // legacy GGML files
	ModelTypeGGUF ModelType = "gguf" // GGUF-quantized weights (llama.cpp family)
)

// ModelTypes lists every valid ModelType in the order the guide gives them.
var ModelTypes = []ModelType{ModelTypeBase, ModelTypeAWQ, ModelTypeGGML, ModelTypeGGUF}

// Valid reports whether t is one of ModelTypes.
func (t ModelType) Valid() bool {
	for _, known := range ModelTypes {
		if t == known {
			return true
		}
	}
	return false
}

// StatusWaitingForChat is the only deployment status that the guide names: the
// pod is up and accepting traffic. Every other status is opaque.
const StatusWaitingForChat = "waitingForChat"

// ModelDefaultParameters is the guide's ModelDefaultParameters object (context
// length, GPU offload, RoPE settings and more). The guide does not name its
// fields, so it is passed through as a JSON object without interpretation.
type ModelDefaultParameters map[string]any

// RegisterModelRequest is the body of POST /management/v0/models/register.
// Name, Type and IsFineTuned are required by the Control Room.
type RegisterModelRequest struct {
	Name              string                 `json:"name"`
	Type              ModelType              `json:"type"`
	IsFineTuned       bool                   `json:"isFineTuned"`
	HuggingFaceID     string                 `json:"huggingFaceId,omitempty"`
	Publisher         string                 `json:"publisher,omitempty"`
	NumberOfParams    string                 `json:"numberOfParams,omitempty"`
	Quant             string                 `json:"quant,omitempty"`
	Size              string                 `json:"size,omitempty"`
	Description       string                 `json:"description,omitempty"`
	Card              string                 `json:"card,omitempty"`
	DefaultParameters ModelDefaultParameters `json:"defaultParameters,omitempty"`
}

// UpdateModelRequest is the body of PATCH /management/v0/models/{id}. Only the
// non-nil fields are sent, so a PATCH changes exactly the fields given.
type UpdateModelRequest struct {
	Name              *string                `json:"name,omitempty"`
	Type              *ModelType             `json:"type,omitempty"`
	IsFineTuned       *bool                  `json:"isFineTuned,omitempty"`
	HuggingFaceID     *string                `json:"huggingFaceId,omitempty"`
	Publisher         *string                `json:"publisher,omitempty"`
	NumberOfParams    *string                `json:"numberOfParams,omitempty"`
	Quant             *string                `json:"quant,omitempty"`
	Size              *string                `json:"size,omitempty"`
	Description       *string                `json:"description,omitempty"`
	Card              *string                `json:"card,omitempty"`
	DefaultParameters ModelDefaultParameters `json:"defaultParameters,omitempty"`
}

// Empty reports whether the update changes no field.
func (u UpdateModelRequest) Empty() bool {
	return u.Name == nil && u.Type == nil && u.IsFineTuned == nil &&
		u.HuggingFaceID == nil && u.Publisher == nil && u.NumberOfParams == nil &&
		u.Quant == nil && u.Size == nil && u.Description == nil && u.Card == nil &&
		u.DefaultParameters == nil
}

// DeploymentParameters is the body of POST /management/v0/models/{id}/deploy.
// ForceDeployment is required and always sent; the sampling defaults are sent
// only when set.
type DeploymentParameters struct {
	ForceDeployment   bool     `json:"forceDeployment"`
	Temperature       *float64 `json:"temperature,omitempty"`
	TopP              *float64 `json:"topP,omitempty"`
	TopK              *float64 `json:"topK,omitempty"`
	MinP              *float64 `json:"minP,omitempty"`
	RepetitionPenalty *float64 `json:"repetitionPenalty,omitempty"`
	MaxOutputTokens   *int     `json:"maxOutputTokens,omitempty"`
	AdapterScale      *float64 `json:"adapterScale,omitempty"`
}

// Model is a catalog record as the Control Room returns it. Extra keeps every
// JSON field that the guide does not name.
type Model struct {
	ID                string                 `json:"id"`
	Name              string                 `json:"name"`
	Type              ModelType              `json:"type"`
	IsFineTuned       bool                   `json:"isFineTuned"`
	HuggingFaceID     string                 `json:"huggingFaceId,omitempty"`
	Publisher         string                 `json:"publisher,omitempty"`
	NumberOfParams    string                 `json:"numberOfParams,omitempty"`
	Quant             string                 `json:"quant,omitempty"`
	Size              string                 `json:"size,omitempty"`
	Description       string                 `json:"description,omitempty"`
	Card              string                 `json:"card,omitempty"`
	DefaultParameters ModelDefaultParameters `json:"defaultParameters,omitempty"`
	Deployments       []Deployment           `json:"deployments,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// Deployment is one serving instance of a model, as listed in a model record's
// deployments array, by the deployments list and by deployment-status. Status
// is passed through unchanged; only StatusWaitingForChat means ready.
type Deployment struct {
	DeploymentID string `json:"deploymentId"`
	Status       string `json:"status,omitempty"`
	GPUCount     int    `json:"gpuCount,omitempty"`
	ServiceURL   string `json:"serviceUrl,omitempty"`
	// ModelID is set where the Control Room reports it (the guide does not say
	// whether the deployments list carries it).
	ModelID string `json:"modelId,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// Ready reports whether the deployment serves its /v1 endpoint.
func (d Deployment) Ready() bool { return d.Status == StatusWaitingForChat }

// ModelPage is one page of the catalog. The Control Room may return a bare
// array, in which case the client fills Number and Size from the request and
// the totals from the array's length.
type ModelPage struct {
	Content       []Model `json:"content"`
	TotalElements int64   `json:"totalElements"`
	TotalPages    int     `json:"totalPages"`
	Number        int     `json:"number"`
	Size          int     `json:"size"`
}

// RegisterResult is the outcome of a registration. AlreadyExisted is true when
// the Control Room answered 409 and Model is the record that holds the name.
type RegisterResult struct {
	Model          Model
	AlreadyExisted bool
}

// DeployResult is the outcome of a deploy. Reconciled is true when the deploy
// request failed ambiguously and the deployment id was found by listing the
// model's deployments instead of from the response. Such an id is inferred:
// it is the only deployment of the model that appeared since the request,
// which another replica or another client of the tenant may have started.
type DeployResult struct {
	DeploymentID string
	Reconciled   bool
}

// ActionResult is the outcome of pause or cancel. The guide does not describe
// their response bodies, so Message holds the body's text (possibly empty)
// and Deployment is set when the body is a deployment object.
type ActionResult struct {
	Message    string
	Deployment *Deployment
}
