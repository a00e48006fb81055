// Package deploy holds the container build file and the Kubernetes
// manifests. Its tests check the properties a shared deployment relies on,
// since no container engine or cluster runs here.
package deploy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// object is one decoded manifest, walked by path.
type object map[string]any

func (o object) get(path ...string) any {
	var current any = map[string]any(o)
	for _, key := range path {
		m, ok := current.(map[string]any)
		if !ok {
			return nil
		}
		current = m[key]
	}
	return current
}

func (o object) str(path ...string) string   { s, _ := o.get(path...).(string); return s }
func (o object) list(path ...string) []any   { l, _ := o.get(path...).([]any); return l }
func (o object) obj(path ...string) object   { m, _ := o.get(path...).(map[string]any); return m }
func (o object) boolean(path ...string) bool { b, _ := o.get(path...).(bool); return b }

// loadManifests decodes every YAML document under kubernetes/ by kind.
func loadManifests(t *testing.T) map[string]object {
	t.Helper()
	files, err := filepath.Glob("kubernetes/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)

	byKind := map[string]object{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		decoder := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc map[string]any
			err := decoder.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err, file)
			if doc == nil {
				continue
			}
			kind, _ := doc["kind"].(string)
			require.NotEmpty(t, kind, "%s: a document without kind", file)
			require.NotContains(t, byKind, kind, "%s: a second %s", file, kind)
			byKind[kind] = doc
		}
	}
	return byKind
}

func TestDeployment(t *testing.T) {
	deployment := loadManifests(t)["Deployment"]
	require.NotNil(t, deployment, "a Deployment manifest")
	require.Equal(t, "apps/v1", deployment.str("apiVersion"))
	require.EqualValues(t, 2, deployment.get("spec", "replicas"))

	pod := deployment.obj("spec", "template", "spec")
	require.True(t, pod.boolean("securityContext", "runAsNonRoot"))
	require.EqualValues(t, 65532, pod.get("securityContext", "runAsUser"))
	require.Equal(t, false, pod.get("automountServiceAccountToken"))

	containers := pod.list("containers")
	require.Len(t, containers, 1)
	container := object(containers[0].(map[string]any))
	require.NotContains(t, container.str("image"), ":latest")

	security := container.obj("securityContext")
	require.True(t, security.boolean("readOnlyRootFilesystem"))
	require.True(t, security.boolean("runAsNonRoot"))
	require.Equal(t, false, security.get("allowPrivilegeEscalation"))
	require.Equal(t, []any{"ALL"}, security.list("capabilities", "drop"))

	for _, kind := range []string{"requests", "limits"} {
		for _, resource := range []string{"cpu", "memory"} {
			require.NotEmpty(t, container.str("resources", kind, resource), "resources.%s.%s", kind, resource)
		}
	}

	port := object(container.list("ports")[0].(map[string]any))
	for _, probe := range []string{"readinessProbe", "livenessProbe"} {
		require.Equal(t, "/healthz", container.str(probe, "httpGet", "path"), probe)
		require.Equal(t, port.str("name"), container.str(probe, "httpGet", "port"), probe)
	}

	// The three secrets come from a Secret volume, never from literals.
	env := map[string]object{}
	for _, item := range container.list("env") {
		variable := object(item.(map[string]any))
		env[variable.str("name")] = variable
	}
	mountPath := ""
	for _, item := range container.list("volumeMounts") {
		mount := object(item.(map[string]any))
		if mount.str("name") == "secrets" {
			mountPath = mount.str("mountPath")
			require.True(t, mount.boolean("readOnly"))
		}
	}
	require.NotEmpty(t, mountPath, "the secrets volume is mounted")
	var secretKeys []string
	for _, item := range pod.list("volumes") {
		volume := object(item.(map[string]any))
		if volume.str("name") != "secrets" {
			continue
		}
		require.NotEmpty(t, volume.str("secret", "secretName"))
		for _, key := range volume.list("secret", "items") {
			secretKeys = append(secretKeys, object(key.(map[string]any)).str("key"))
		}
	}
	for variable, key := range map[string]string{
		"RATIONAL_API_TOKEN_FILE":      "controlroom-token",
		"RATIONAL_MCP_AUTH_TOKEN_FILE": "mcp-auth-token",
		"RATIONAL_MCP_STATE_KEY_FILE":  "state-key",
	} {
		require.Equal(t, mountPath+"/"+key, env[variable].str("value"), variable)
		require.Contains(t, secretKeys, key)
	}
	for _, literal := range []string{"RATIONAL_API_TOKEN", "RATIONAL_MCP_AUTH_TOKEN"} {
		require.NotContains(t, env, literal, "a token must not be a literal env value")
	}
	require.Equal(t, "0.0.0.0:8787", env["RATIONAL_MCP_ADDR"].str("value"))
	require.EqualValues(t, port.get("containerPort"), 8787)
}

func TestService(t *testing.T) {
	manifests := loadManifests(t)
	service, deployment := manifests["Service"], manifests["Deployment"]
	require.NotNil(t, service, "a Service manifest")

	labels := deployment.obj("spec", "template", "metadata", "labels")
	for key, value := range service.obj("spec", "selector") {
		require.Equal(t, value, labels[key], "the Service selects the Deployment's pods by %s", key)
	}
	require.Equal(t, "ClientIP", service.str("spec", "sessionAffinity"))
	ports := service.list("spec", "ports")
	require.Len(t, ports, 1)
	require.Equal(t, "http", object(ports[0].(map[string]any)).str("targetPort"))
}

// dockerfileLines returns the instructions of the Dockerfile with
// continuation lines joined and comments dropped.
func dockerfileLines(t *testing.T) []string {
	t.Helper()
	file, err := os.Open("Dockerfile")
	require.NoError(t, err)
	defer file.Close()

	var lines []string
	current := ""
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			current += strings.TrimSuffix(line, "\\") + " "
			continue
		}
		lines = append(lines, current+line)
		current = ""
	}
	require.NoError(t, scanner.Err())
	return lines
}

func TestDockerfile(t *testing.T) {
	lines := dockerfileLines(t)

	var stages []string
	user := ""
	for _, line := range lines {
		instruction := strings.ToUpper(strings.Fields(line)[0])
		switch instruction {
		case "FROM":
			stages = append(stages, line)
			user = ""
		case "USER":
			user = strings.Fields(line)[1]
		case "RUN":
			require.NotRegexp(t, regexp.MustCompile(`\b(curl|wget|apt-get|apk|git clone)\b`), line,
				"the build downloads nothing but Go modules")
		case "ADD":
			t.Fatalf("ADD can fetch URLs; use COPY: %s", line)
		}
	}

	require.GreaterOrEqual(t, len(stages), 2, "a multi-stage build")
	final := stages[len(stages)-1]
	require.Regexp(t, `(distroless/static|scratch)`, final, "a final image without a shell or package manager")
	require.Equal(t, "65532:65532", user, "the final stage runs as the non-root user 65532")

	joined := strings.Join(lines, "\n")
	require.Contains(t, joined, "CGO_ENABLED=0")
	require.Regexp(t, `GOPROXY=https://proxy\.golang\.org(\s|$)`, joined, "modules come from the Go module proxy only, never direct")
	require.Regexp(t, `(?m)^ENTRYPOINT \["/rational-mcp", "http"\]$`, joined)
}
