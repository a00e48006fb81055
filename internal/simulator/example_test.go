package simulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// Example serves the simulator over HTTP, registers and deploys a model, and
// moves the manual clock until the deployment is ready.
func Example() {
	clock := simulator.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	sim := simulator.New(simulator.Options{Token: "secret", Clock: clock})
	server := httptest.NewServer(sim)
	defer server.Close()
	base := server.URL + "/api/management/v0"

	post := func(path, body string) string {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer secret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return string(data)
	}

	var model struct{ ID string }
	_ = json.Unmarshal([]byte(post("/models/register",
		`{"name":"google/gemma-4-12B-it","type":"base","isFineTuned":false,"numberOfParams":"12000000000"}`)), &model)
	deploymentID := post("/models/"+model.ID+"/deploy", `{"forceDeployment":true,"adapterScale":1}`)
	fmt.Println(strings.HasPrefix(deploymentID, "model-google-gemma-4-12-b-it-"))

	fmt.Println(sim.Deployments()[0].Status)
	clock.Advance(simulator.DemoTimings().Total())
	fmt.Println(sim.Deployments()[0].Status)
	// Output:
	// true
	// scheduling
	// waitingForChat
}
