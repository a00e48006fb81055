package simulator

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConcurrentRegisterAndDeploy(t *testing.T) {
	const (
		workers         = 16
		modelsPerWorker = 8
		sharedNames     = 4
	)
	h := newHarness(t, Options{Token: testToken, GPUs: 40})

	var (
		mu            sync.Mutex
		created       = map[string]string{} // model id by name
		deploymentIDs = map[string]bool{}
		sharedWins    = map[string]int{}
		conflicts     int
	)
	var wg sync.WaitGroup
	for worker := range workers {
		wg.Go(func() {
			for i := range modelsPerWorker {
				name := fmt.Sprintf("org/w%d-m%d", worker, i)
				modelID := h.register(name, "base", "7000000000")
				deploymentID := h.deploy(modelID, false)

				mu.Lock()
				created[name] = modelID
				assert.False(t, deploymentIDs[deploymentID], "duplicate deployment id %s", deploymentID)
				deploymentIDs[deploymentID] = true
				mu.Unlock()
			}

			// Every worker races for the same shared names.
			for i := range sharedNames {
				resp := h.do(http.MethodPost, registerPath, registerBody(fmt.Sprintf("org/shared-%d", i)))
				mu.Lock()
				switch resp.status {
				case http.StatusCreated:
					sharedWins[fmt.Sprintf("org/shared-%d", i)]++
				case http.StatusConflict:
					conflicts++
				default:
					t.Errorf("register shared name: status %d, body %s", resp.status, resp.body)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	require.Len(t, created, workers*modelsPerWorker)
	for i := range sharedNames {
		assert.Equal(t, 1, sharedWins[fmt.Sprintf("org/shared-%d", i)], "shared name %d", i)
	}
	assert.Equal(t, sharedNames*(workers-1), conflicts)

	page := h.do(http.MethodGet, "/management/v0/models?page=0&size=1000", nil).object(t)
	assert.EqualValues(t, workers*modelsPerWorker+sharedNames, page["totalElements"])

	deployments := h.sim.Deployments()
	require.Len(t, deployments, workers*modelsPerWorker)
	scheduled, waiting := 0, 0
	for _, d := range deployments {
		assert.True(t, deploymentIDs[d.DeploymentID], "unknown deployment %s", d.DeploymentID)
		assert.Equal(t, created[modelNameOf(t, h, d.ModelID)], d.ModelID)
		switch d.Status {
		case StatusScheduling:
			scheduled++
		case StatusWaitingForGPU:
			waiting++
		default:
			t.Errorf("deployment %s: unexpected status %s", d.DeploymentID, d.Status)
		}
	}
	assert.Equal(t, 40, scheduled, "every GPU of the pool is used")
	assert.Equal(t, workers*modelsPerWorker-40, waiting)
	assert.Equal(t, 0, h.sim.FreeGPUs())

	stats := h.sim.Stats()
	assert.EqualValues(t, workers*modelsPerWorker+sharedNames, stats.RegistrationsCreated)
	assert.EqualValues(t, workers*modelsPerWorker, stats.DeploymentsCreated)
}

func TestConcurrentDeploySameModel(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")

	statuses := make([]int, 20)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			resp := h.do(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{"forceDeployment":false}`)
			statuses[i] = resp.status
		})
	}
	wg.Wait()

	counts := map[int]int{}
	for _, status := range statuses {
		counts[status]++
	}
	assert.Equal(t, 1, counts[http.StatusCreated])
	assert.Equal(t, len(statuses)-1, counts[http.StatusConflict])
	assert.Len(t, h.sim.Deployments(), 1)
}

func modelNameOf(t *testing.T, h *harness, modelID string) string {
	t.Helper()
	name, _ := h.do(http.MethodGet, "/management/v0/models/"+modelID, nil).object(t)["name"].(string)
	return name
}
