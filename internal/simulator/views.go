package simulator

import (
	"encoding/json"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// modelView is the JSON of a model record. The fields the vendor's guide
// names come first; architecture, createdAt and updatedAt are the
// simulator's own. Unset optional fields are sent as null.
type modelView struct {
	ID                string                `json:"id"`
	Name              string                `json:"name"`
	Type              controlroom.ModelType `json:"type"`
	IsFineTuned       bool                  `json:"isFineTuned"`
	HuggingFaceID     *string               `json:"huggingFaceId"`
	Publisher         *string               `json:"publisher"`
	NumberOfParams    *string               `json:"numberOfParams"`
	Quant             *string               `json:"quant"`
	Size              *string               `json:"size"`
	Description       *string               `json:"description"`
	Card              *string               `json:"card"`
	DefaultParameters json.RawMessage       `json:"defaultParameters"`
	Architecture      string                `json:"architecture"`
	Deployments       []deploymentView      `json:"deployments"`
	CreatedAt         time.Time             `json:"createdAt"`
	UpdatedAt         time.Time             `json:"updatedAt"`
}

// deploymentView is the JSON of a deployment. deploymentId, status,
// gpuCount and serviceUrl come from the vendor's guide; the other fields are
// the simulator's own.
type deploymentView struct {
	DeploymentID string `json:"deploymentId"`
	Status       string `json:"status"`
	// GPUCount is the GPUs allocated, as the vendor's guide defines it: 0
	// while the deployment is queued, paused or cancelled.
	GPUCount   int     `json:"gpuCount"`
	ServiceURL *string `json:"serviceUrl"`
	// GPUsRequested is the deployment's need, in every status.
	GPUsRequested int    `json:"gpusRequested"`
	ModelID       string `json:"modelId"`
	ModelName     string `json:"modelName"`
	// QueuePosition is the 1-based place in the GPU queue, sent only while
	// the status is waitingForGpu.
	QueuePosition int              `json:"queuePosition,omitempty"`
	Parameters    deployParameters `json:"parameters"`
	CreatedAt     time.Time        `json:"createdAt"`
	UpdatedAt     time.Time        `json:"updatedAt"`
}

// modelPageView is the JSON of one catalog page, a Spring-style page object.
type modelPageView struct {
	Content       []modelView `json:"content"`
	TotalElements int         `json:"totalElements"`
	TotalPages    int         `json:"totalPages"`
	Number        int         `json:"number"`
	Size          int         `json:"size"`
}

// genericArchitecture is the architecture value recorded on register.
// According to the vendor's guide, the Control Room may record a generic
// value.
const genericArchitecture = "generic"

// modelView renders m at now. The caller holds s.mu.
func (s *Simulator) modelView(m *model, now time.Time) modelView {
	view := modelView{
		ID:                m.id,
		Name:              m.name,
		Type:              m.modelType,
		IsFineTuned:       m.isFineTuned,
		HuggingFaceID:     m.huggingFaceID,
		Publisher:         m.publisher,
		NumberOfParams:    m.numberOfParams,
		Quant:             m.quant,
		Size:              m.size,
		Description:       m.description,
		Card:              m.card,
		DefaultParameters: m.defaultParameters,
		Architecture:      genericArchitecture,
		Deployments:       make([]deploymentView, 0, len(m.deployments)),
		CreatedAt:         m.createdAt,
		UpdatedAt:         m.updatedAt,
	}
	for _, d := range m.deployments {
		view.Deployments = append(view.Deployments, s.deploymentView(d, now))
	}
	return view
}

// deploymentView renders d at now. gpuCount and serviceUrl are set while
// the deployment holds GPUs (from scheduling on); while it is queued, paused
// or cancelled, gpuCount is 0 and serviceUrl null. The caller holds s.mu.
func (s *Simulator) deploymentView(d *deployment, now time.Time) deploymentView {
	view := deploymentView{
		DeploymentID:  d.id,
		Status:        d.status(now, s.timings),
		GPUsRequested: d.gpuCount,
		ModelID:       d.model.id,
		ModelName:     d.model.name,
		Parameters:    d.parameters,
		CreatedAt:     d.createdAt,
		UpdatedAt:     d.updatedAt,
	}
	if d.state == stateAllocated {
		view.GPUCount = d.gpuCount
		url := serviceURL(d.id)
		view.ServiceURL = &url
	}
	if d.state == stateQueued {
		view.QueuePosition = s.queuePosition(d)
	}
	return view
}

// serviceURL returns the in-cluster OpenAI-compatible endpoint of a
// deployment, in the form the vendor's guide shows.
func serviceURL(deploymentID string) string {
	return "http://" + deploymentID + ".rational-ai.svc.cluster.local/v1/"
}

// Deployments returns a snapshot of every deployment in creation order, with
// statuses computed at the clock's current time. It is meant for tests.
func (s *Simulator) Deployments() []controlroom.Deployment {
	s.mu.Lock()
	defer s.mu.Unlock()

	now := s.now()
	snapshot := make([]controlroom.Deployment, 0, len(s.deployOrder))
	for _, d := range s.deployOrder {
		view := s.deploymentView(d, now)
		deployment := controlroom.Deployment{
			DeploymentID: view.DeploymentID,
			Status:       view.Status,
			GPUCount:     view.GPUCount,
			ModelID:      view.ModelID,
		}
		if view.ServiceURL != nil {
			deployment.ServiceURL = *view.ServiceURL
		}
		snapshot = append(snapshot, deployment)
	}
	return snapshot
}

// FreeGPUs returns the number of GPUs that no deployment holds right now.
func (s *Simulator) FreeGPUs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.freeGPUs()
}
