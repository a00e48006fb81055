package simulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Catalog paging limits. The vendor's guide shows page=0&size=50; the
// defaults and the maximum are the simulator's own.
const (
	defaultPageSize = 20
	maxPageSize     = 1000
)

func handleListModels(s *Simulator, w http.ResponseWriter, r *http.Request, _ string) {
	query := r.URL.Query()
	page, err := queryInt(query.Get("page"), 0)
	if err != nil || page < 0 {
		writeError(w, http.StatusBadRequest,
			fmt.Sprintf("query parameter page must be an integer >= 0 (pages are 0-based), got %q", query.Get("page")))
		return
	}
	size, err := queryInt(query.Get("size"), defaultPageSize)
	if err != nil || size < 1 || size > maxPageSize {
		writeError(w, http.StatusBadRequest,
			fmt.Sprintf("query parameter size must be an integer from 1 to %d, got %q", maxPageSize, query.Get("size")))
		return
	}

	s.mu.Lock()
	now := s.now()
	total := len(s.modelOrder)
	view := modelPageView{
		Content:       []modelView{},
		TotalElements: total,
		TotalPages:    (total + size - 1) / size,
		Number:        page,
		Size:          size,
	}
	if start := page * size; page < total && start < total {
		end := min(start+size, total)
		for _, m := range s.modelOrder[start:end] {
			view.Content = append(view.Content, s.modelView(m, now))
		}
	}
	s.mu.Unlock()

	writeJSON(w, http.StatusOK, view)
}

// queryInt parses an optional integer query parameter.
func queryInt(value string, fallback int) (int, error) {
	if value == "" {
		return fallback, nil
	}
	return strconv.Atoi(value)
}

func handleGetModel(s *Simulator, w http.ResponseWriter, _ *http.Request, id string) {
	s.mu.Lock()
	m, ok := s.models[id]
	var view modelView
	if ok {
		view = s.modelView(m, s.now())
	}
	s.mu.Unlock()

	if !ok {
		writeModelNotFound(w, id)
		return
	}
	writeJSON(w, http.StatusOK, view)
}

func handleRegisterModel(s *Simulator, w http.ResponseWriter, r *http.Request, _ string) {
	body, ok := readJSONObject(w, r)
	if !ok {
		return
	}
	changes, errs := parseModelChanges(body, false)
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, "invalid model registration: "+errs.message())
		return
	}

	s.mu.Lock()
	if existing := s.modelByName(*changes.name); existing != nil {
		s.mu.Unlock()
		writeError(w, http.StatusConflict, fmt.Sprintf(
			"a model named %q already exists with id %s: reuse that id, or register under another name",
			existing.name, existing.id))
		return
	}

	now := s.now()
	m := &model{id: s.newModelID(), createdAt: now, updatedAt: now}
	changes.apply(m)
	s.addModel(m)
	s.stats.RegistrationsCreated++
	s.stats.Mutations++
	view := s.modelView(m, now)
	s.mu.Unlock()

	s.logger.Info("model registered", "model_id", m.id, "name", view.Name, "type", string(view.Type))
	writeJSON(w, http.StatusCreated, view)
}

func handleUpdateModel(s *Simulator, w http.ResponseWriter, r *http.Request, id string) {
	if !isUUID(id) {
		writeModelNotFound(w, id)
		return
	}
	body, ok := readJSONObject(w, r)
	if !ok {
		return
	}
	changes, errs := parseModelChanges(body, true)
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, "invalid model update: "+errs.message())
		return
	}

	s.mu.Lock()
	m, ok := s.models[id]
	if !ok {
		s.mu.Unlock()
		writeModelNotFound(w, id)
		return
	}
	if changes.name != nil {
		if holder := s.modelByName(*changes.name); holder != nil && holder != m {
			s.mu.Unlock()
			writeError(w, http.StatusConflict, fmt.Sprintf(
				"cannot rename model %s to %q: model %s already has that name", id, *changes.name, holder.id))
			return
		}
	}

	now := s.now()
	oldName := m.name
	changed := changes.apply(m)
	if changed {
		m.updatedAt = now
		s.stats.Mutations++
		if m.name != oldName {
			delete(s.modelsByName, oldName)
			s.modelsByName[m.name] = m
		}
	}
	view := s.modelView(m, now)
	s.mu.Unlock()

	if changed {
		s.logger.Info("model updated", "model_id", id, "name", view.Name)
	}
	writeJSON(w, http.StatusOK, view)
}

func handleDeleteModel(s *Simulator, w http.ResponseWriter, _ *http.Request, id string) {
	s.mu.Lock()
	m, ok := s.models[id]
	if !ok {
		s.mu.Unlock()
		writeModelNotFound(w, id)
		return
	}

	var live []string
	now := s.now()
	for _, d := range m.deployments {
		if d.live() {
			live = append(live, fmt.Sprintf("%s (%s)", d.id, d.status(now, s.timings)))
		}
	}
	if len(live) > 0 {
		s.mu.Unlock()
		writeError(w, http.StatusConflict, fmt.Sprintf(
			"model %s has live deployments: %s; cancel them, then delete the model",
			id, strings.Join(live, ", ")))
		return
	}

	s.removeModel(m)
	s.stats.Mutations++
	s.mu.Unlock()

	s.logger.Info("model deleted", "model_id", id, "name", m.name)
	w.WriteHeader(http.StatusNoContent)
}

func writeModelNotFound(w http.ResponseWriter, id string) {
	writeError(w, http.StatusNotFound, fmt.Sprintf(
		"model %q not found: list the catalog with GET /api/management/v0/models for valid model ids (UUIDs)", abbreviate(id)))
}

// modelByName returns the model with exactly that name, or nil. The caller
// holds s.mu.
func (s *Simulator) modelByName(name string) *model {
	return s.modelsByName[name]
}

// addModel inserts a new record. The caller holds s.mu.
func (s *Simulator) addModel(m *model) {
	s.models[m.id] = m
	s.modelsByName[m.name] = m
	s.modelOrder = append(s.modelOrder, m)
}

// removeModel deletes a record and its cancelled deployments. The caller
// holds s.mu and has checked that no deployment is live.
func (s *Simulator) removeModel(m *model) {
	delete(s.models, m.id)
	delete(s.modelsByName, m.name)
	s.modelOrder = removeFirst(s.modelOrder, m)
	for _, d := range m.deployments {
		delete(s.deployments, d.id)
		s.deployOrder = removeFirst(s.deployOrder, d)
	}
}

func removeFirst[T comparable](items []T, target T) []T {
	for i, item := range items {
		if item == target {
			return append(items[:i], items[i+1:]...)
		}
	}
	return items
}

// newModelID returns a fresh random UUID that no model uses. The caller
// holds s.mu.
func (s *Simulator) newModelID() string {
	for {
		id := newUUID()
		if _, taken := s.models[id]; !taken {
			return id
		}
	}
}
