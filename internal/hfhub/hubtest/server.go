// Package hubtest serves hand-written Hugging Face Hub fixtures from a local
// httptest server, for tests that point HF_ENDPOINT at it. It serves the
// model info endpoint and file downloads (/{repo}/resolve/{revision}/{path}). The server
// listens on 127.0.0.1 only and stops when the test ends.
package hubtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Token is the bearer token that the server accepts for fixtures marked
// requiresToken. It is not a real Hub token.
const Token = "hf_local_test_token_not_real"

// Fixture is one envelope file of testdata/hub.
type Fixture struct {
	Note          string            `json:"_fixture"`
	Repo          string            `json:"repo"`
	Revision      string            `json:"revision,omitempty"`
	Status        int               `json:"status"`
	Headers       map[string]string `json:"headers,omitempty"`
	RequiresToken bool              `json:"requiresToken,omitempty"`
	Body          json.RawMessage   `json:"body"`
	// Files maps a file path to its JSON content, served under
	// /{repo}/resolve/{revision}/{path} for any revision.
	Files map[string]json.RawMessage `json:"files,omitempty"`
	// FilesRequireToken makes file downloads need the test token, as for
	// a gated repository whose conditions the caller has not accepted.
	FilesRequireToken bool `json:"filesRequireToken,omitempty"`
	// File is the fixture's file name, set by LoadFixtures.
	File string `json:"-"`
}

// Request is the record of one request that the server received.
type Request struct {
	Path     string
	RawQuery string
	// Authorization is the Authorization header as sent.
	Authorization string
}

type fixtureKey struct {
	repo     string
	revision string
}

// Server is a stand-in for the Hub's model info endpoint.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	fixtures map[fixtureKey]Fixture
	requests []Request
	override http.HandlerFunc
}

// New starts a server with every fixture in dir and stops it when t ends.
// It fails t when a fixture cannot be read.
func New(t testing.TB, dir string) *Server {
	t.Helper()

	fixtures, err := LoadFixtures(dir)
	if err != nil {
		t.Fatalf("load hub fixtures: %v", err)
	}

	s := &Server{fixtures: map[fixtureKey]Fixture{}}
	for _, fixture := range fixtures {
		s.fixtures[fixtureKey{fixture.Repo, fixture.Revision}] = fixture
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// LoadFixtures reads every *.json envelope in dir, sorted by file name.
func LoadFixtures(dir string) ([]Fixture, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no *.json fixtures in %s", dir)
	}
	sort.Strings(paths)

	fixtures := make([]Fixture, 0, len(paths))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}

		var fixture Fixture
		if err := json.Unmarshal(data, &fixture); err != nil {
			return nil, fmt.Errorf("fixture %s: %w", path, err)
		}
		if fixture.Repo == "" || fixture.Status == 0 || len(fixture.Body) == 0 || fixture.Note == "" {
			return nil, fmt.Errorf("fixture %s: repo, status, body and _fixture are required", path)
		}
		fixture.File = filepath.Base(path)
		fixtures = append(fixtures, fixture)
	}
	return fixtures, nil
}

// FixtureDir returns the repository's testdata/hub directory, found by
// walking up from the working directory to go.mod.
func FixtureDir(t testing.TB) string {
	t.Helper()

	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("find hub fixtures: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "hub")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("find hub fixtures: no go.mod above the working directory")
		}
		dir = parent
	}
}

// SetFixture adds or replaces the response for fixture.Repo and
// fixture.Revision.
func (s *Server) SetFixture(fixture Fixture) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fixtures[fixtureKey{fixture.Repo, fixture.Revision}] = fixture
}

// Override makes handler serve every request instead of the fixtures, or
// restores the fixtures when handler is nil. Requests are still recorded.
func (s *Server) Override(handler http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override = handler
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Path:          r.URL.EscapedPath(),
		RawQuery:      r.URL.RawQuery,
		Authorization: r.Header.Get("Authorization"),
	})
	override := s.override
	s.mu.Unlock()

	if override != nil {
		override(w, r)
		return
	}

	if r.Method == http.MethodGet && !strings.HasPrefix(r.URL.EscapedPath(), "/api/") {
		s.serveFile(w, r)
		return
	}

	key, err := parseModelPath(r.URL.EscapedPath())
	if err != nil || r.Method != http.MethodGet {
		writeJSON(w, http.StatusNotFound, nil, json.RawMessage(`{"error":"Not Found"}`))
		return
	}

	s.mu.Lock()
	fixture, ok := s.fixtures[key]
	s.mu.Unlock()

	authorized := r.Header.Get("Authorization") == "Bearer "+Token
	if !ok || (fixture.RequiresToken && !authorized) {
		writeNotFound(w, key.repo)
		return
	}
	writeJSON(w, fixture.Status, fixture.Headers, fixture.Body)
}

// serveFile serves /{namespace}/{name}/resolve/{revision}/{path} from the
// fixture's Files, like the Hub's file download endpoint.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	segments := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	if len(segments) < 5 || segments[2] != "resolve" {
		writeJSON(w, http.StatusNotFound, nil, json.RawMessage(`{"error":"Not Found"}`))
		return
	}
	repo := segments[0] + "/" + segments[1]
	filePath, err := url.PathUnescape(strings.Join(segments[4:], "/"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, nil, json.RawMessage(`{"error":"Bad Request"}`))
		return
	}

	s.mu.Lock()
	fixture, ok := s.fixtures[fixtureKey{repo: repo}]
	s.mu.Unlock()

	authorized := r.Header.Get("Authorization") == "Bearer "+Token
	switch {
	case !ok || (fixture.RequiresToken && !authorized):
		writeNotFound(w, repo)
	case fixture.FilesRequireToken && !authorized:
		body, _ := json.Marshal(map[string]string{
			"error": "Access to model " + repo + " is restricted. You must have access to it and be authenticated to access it. Please log in.",
		})
		writeJSON(w, http.StatusUnauthorized, map[string]string{"X-Error-Code": "GatedRepo"}, body)
	case fixture.Files[filePath] == nil:
		writeJSON(w, http.StatusNotFound, map[string]string{"X-Error-Code": "EntryNotFound"}, json.RawMessage(`{"error":"Entry not found"}`))
	default:
		writeJSON(w, http.StatusOK, nil, fixture.Files[filePath])
	}
}

// writeNotFound sends the Hub's 401 response for a missing or unreadable
// repository.
func writeNotFound(w http.ResponseWriter, repo string) {
	body, _ := json.Marshal(map[string]string{
		"error": "Repository Not Found for url: https://huggingface.co/api/models/" + repo + ".",
	})
	writeJSON(w, http.StatusUnauthorized, map[string]string{
		"X-Error-Code":    "RepoNotFound",
		"X-Error-Message": "Repository not found",
	}, body)
}

func writeJSON(w http.ResponseWriter, status int, headers map[string]string, body []byte) {
	for name, value := range headers {
		w.Header().Set(name, value)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// parseModelPath splits /api/models/{namespace}/{name}[/revision/{rev}],
// unescaping each segment.
func parseModelPath(escaped string) (fixtureKey, error) {
	rest, ok := strings.CutPrefix(escaped, "/api/models/")
	if !ok {
		return fixtureKey{}, errors.New("not a model info path")
	}

	segments := strings.Split(rest, "/")
	unescaped := make([]string, len(segments))
	for i, segment := range segments {
		value, err := url.PathUnescape(segment)
		if err != nil {
			return fixtureKey{}, err
		}
		unescaped[i] = value
	}

	switch {
	case len(unescaped) == 2:
		return fixtureKey{repo: unescaped[0] + "/" + unescaped[1]}, nil
	case len(unescaped) == 4 && unescaped[2] == "revision":
		return fixtureKey{repo: unescaped[0] + "/" + unescaped[1], revision: unescaped[3]}, nil
	}
	return fixtureKey{}, errors.New("not a model info path")
}
