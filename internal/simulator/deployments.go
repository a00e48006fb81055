package simulator

import (
	"fmt"
	"net/http"
)

// deployParameters is a validated DeploymentParameters body. It is echoed in
// the deployment JSON as "parameters".
type deployParameters struct {
	ForceDeployment   bool     `json:"forceDeployment"`
	Temperature       *float64 `json:"temperature,omitempty"`
	TopP              *float64 `json:"topP,omitempty"`
	TopK              *float64 `json:"topK,omitempty"`
	MinP              *float64 `json:"minP,omitempty"`
	RepetitionPenalty *float64 `json:"repetitionPenalty,omitempty"`
	MaxOutputTokens   *int     `json:"maxOutputTokens,omitempty"`
	AdapterScale      *float64 `json:"adapterScale,omitempty"`
}

// parseDeployParameters validates a deploy body. forceDeployment is
// required. The range checks are the simulator's own, since the vendor's
// guide gives only the types: temperature >= 0, topP and minP in [0, 1],
// repetitionPenalty > 0, maxOutputTokens >= 1 and adapterScale >= 0. topK
// may be any number, because serving engines use -1 for "disabled".
func parseDeployParameters(body jsonObject) (deployParameters, fieldErrors) {
	var errs fieldErrors
	var params deployParameters

	if force := body.boolField("forceDeployment", &errs); force != nil {
		params.ForceDeployment = *force
	} else if !present(body, "forceDeployment") {
		errs.add("field \"forceDeployment\" is required: true replaces any existing deployment of the model with a fresh rollout, false fails when one exists")
	}

	params.Temperature = body.numberField("temperature", &errs)
	params.TopP = body.numberField("topP", &errs)
	params.TopK = body.numberField("topK", &errs)
	params.MinP = body.numberField("minP", &errs)
	params.RepetitionPenalty = body.numberField("repetitionPenalty", &errs)
	params.MaxOutputTokens = body.integerField("maxOutputTokens", &errs)
	params.AdapterScale = body.numberField("adapterScale", &errs)

	checkRange(&errs, "temperature", params.Temperature, func(v float64) bool { return v >= 0 }, ">= 0")
	checkRange(&errs, "topP", params.TopP, func(v float64) bool { return v >= 0 && v <= 1 }, "from 0 to 1")
	checkRange(&errs, "minP", params.MinP, func(v float64) bool { return v >= 0 && v <= 1 }, "from 0 to 1")
	checkRange(&errs, "repetitionPenalty", params.RepetitionPenalty, func(v float64) bool { return v > 0 }, "> 0")
	checkRange(&errs, "adapterScale", params.AdapterScale, func(v float64) bool { return v >= 0 }, ">= 0")
	if params.MaxOutputTokens != nil && *params.MaxOutputTokens < 1 {
		errs.add("field \"maxOutputTokens\" must be >= 1, got %d", *params.MaxOutputTokens)
	}
	return params, errs
}

func checkRange(errs *fieldErrors, name string, value *float64, valid func(float64) bool, want string) {
	if value != nil && !valid(*value) {
		errs.add("field %q must be %s, got %g", name, want, *value)
	}
}

// handleDeployModel starts a deployment and returns its id as plain text.
// With forceDeployment=false a model that already has a live (not
// cancelled) deployment gets 409. With forceDeployment=true every live
// deployment of the model is cancelled and releases its GPUs before the new
// one joins the GPU queue.
func handleDeployModel(s *Simulator, w http.ResponseWriter, r *http.Request, modelID string) {
	if !isUUID(modelID) {
		writeModelNotFound(w, modelID)
		return
	}
	body, ok := readJSONObject(w, r)
	if !ok {
		return
	}
	params, errs := parseDeployParameters(body)
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, "invalid deployment parameters: "+errs.message())
		return
	}

	s.mu.Lock()
	m, ok := s.models[modelID]
	if !ok {
		s.mu.Unlock()
		writeModelNotFound(w, modelID)
		return
	}

	now := s.now()
	live := liveDeployments(m)
	if len(live) > 0 && !params.ForceDeployment {
		existing := live[len(live)-1]
		status := existing.status(now, s.timings)
		s.mu.Unlock()
		writeError(w, http.StatusConflict, fmt.Sprintf(
			"model %s already has deployment %s (status %s): use that deployment, or send forceDeployment=true to replace it with a fresh rollout",
			modelID, existing.id, status))
		return
	}

	for _, old := range live {
		s.release(old, stateCancelled, now)
		s.logger.Info("deployment cancelled by forced rollout", "deployment_id", old.id, "model_id", modelID)
	}

	d := &deployment{
		id:         s.newDeploymentID(m.name),
		model:      m,
		gpuCount:   GPUsFor(m.modelType, stringValue(m.numberOfParams)),
		parameters: params,
		state:      stateQueued,
		createdAt:  now,
		updatedAt:  now,
	}
	s.addDeployment(d)
	s.queue = append(s.queue, d)
	s.schedule(now)
	s.stats.DeploymentsCreated++
	s.stats.Mutations++
	status := d.status(now, s.timings)
	s.mu.Unlock()

	s.logger.Info("deployment created", "deployment_id", d.id, "model_id", modelID,
		"gpu_count", d.gpuCount, "status", status, "forced", params.ForceDeployment)
	writeText(w, http.StatusCreated, d.id)
}

func handleDeploymentStatus(s *Simulator, w http.ResponseWriter, _ *http.Request, deploymentID string) {
	s.mu.Lock()
	d, ok := s.deployments[deploymentID]
	if !ok {
		_, isModel := s.models[deploymentID]
		s.mu.Unlock()
		writeDeploymentNotFound(w, deploymentID, isModel)
		return
	}
	view := s.deploymentView(d, s.now())
	s.mu.Unlock()

	writeJSON(w, http.StatusOK, view)
}

func handleListDeployments(s *Simulator, w http.ResponseWriter, _ *http.Request, _ string) {
	s.mu.Lock()
	now := s.now()
	views := make([]deploymentView, 0, len(s.deployOrder))
	for _, d := range s.deployOrder {
		views = append(views, s.deploymentView(d, now))
	}
	s.mu.Unlock()

	writeJSON(w, http.StatusOK, views)
}

// handlePauseDeployment pauses a deployment and releases its GPUs. Pausing
// a paused deployment is a no-op that returns 200; a cancelled one gets 409.
func handlePauseDeployment(s *Simulator, w http.ResponseWriter, _ *http.Request, deploymentID string) {
	s.changeDeployment(w, deploymentID, statePaused)
}

// handleCancelDeployment cancels a deployment and releases its GPUs.
// Cancelling a cancelled deployment is a no-op that returns 200.
func handleCancelDeployment(s *Simulator, w http.ResponseWriter, _ *http.Request, deploymentID string) {
	s.changeDeployment(w, deploymentID, stateCancelled)
}

func (s *Simulator) changeDeployment(w http.ResponseWriter, deploymentID string, to deploymentState) {
	s.mu.Lock()
	d, ok := s.deployments[deploymentID]
	if !ok {
		_, isModel := s.models[deploymentID]
		s.mu.Unlock()
		writeDeploymentNotFound(w, deploymentID, isModel)
		return
	}

	if d.state == stateCancelled && to == statePaused {
		s.mu.Unlock()
		writeError(w, http.StatusConflict, fmt.Sprintf(
			"deployment %s is cancelled, which is final, so it cannot be paused: deploy the model again to serve it", deploymentID))
		return
	}

	now := s.now()
	changed := d.state != to
	if changed {
		s.release(d, to, now)
		s.stats.Mutations++
	}
	view := s.deploymentView(d, now)
	s.mu.Unlock()

	if changed {
		s.logger.Info("deployment "+view.Status, "deployment_id", deploymentID, "model_id", view.ModelID)
	}
	writeJSON(w, http.StatusOK, view)
}

func writeDeploymentNotFound(w http.ResponseWriter, deploymentID string, isModelID bool) {
	message := fmt.Sprintf(
		"deployment %q not found: list deployments with GET /api/management/v0/models/deployments", abbreviate(deploymentID))
	if isModelID {
		message = fmt.Sprintf(
			"deployment %q not found: %s is a model id, but this endpoint takes a deployment id such as model-<name>-<12 hex digits>; read the model's deployments with GET /api/management/v0/models/%s",
			deploymentID, deploymentID, deploymentID)
	}
	writeError(w, http.StatusNotFound, message)
}

// liveDeployments returns the model's deployments that are not cancelled.
// The caller holds s.mu.
func liveDeployments(m *model) []*deployment {
	var live []*deployment
	for _, d := range m.deployments {
		if d.live() {
			live = append(live, d)
		}
	}
	return live
}

// addDeployment records a new deployment. The caller holds s.mu.
func (s *Simulator) addDeployment(d *deployment) {
	s.deployments[d.id] = d
	s.deployOrder = append(s.deployOrder, d)
	d.model.deployments = append(d.model.deployments, d)
}

// newDeploymentID returns a fresh deployment id for a model name. The
// caller holds s.mu.
func (s *Simulator) newDeploymentID(modelName string) string {
	for {
		id := newDeploymentID(modelName)
		if _, taken := s.deployments[id]; !taken {
			return id
		}
	}
}

func stringValue(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
