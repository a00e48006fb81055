package guard

import (
	"context"
	"io"
	"log/slog"
	"testing"
)

func newBenchGuard(b *testing.B) *Guard {
	b.Helper()
	clock := newTestClock()
	api := newCatalogAPI()
	signer, err := NewStateSigner(NewRandomKey(), 0, clock.Now)
	if err != nil {
		b.Fatal(err)
	}
	guard, err := New(Config{
		Policy:  DefaultPolicy(),
		Mode:    ModeAuto,
		Signer:  signer,
		Planner: &ControlRoomPlanner{API: api, Estimator: catalogEstimator{api: api}},
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:     clock.Now,
	})
	if err != nil {
		b.Fatal(err)
	}
	return guard
}

// BenchmarkCheckRead measures the guard's decision on a read call, which
// every list_models and get_deployment_status call pays.
func BenchmarkCheckRead(b *testing.B) {
	guard := newBenchGuard(b)
	call := Call{Tool: listTool, Arguments: map[string]any{"text": "llama", "size": 20}, Caller: "session-1"}
	ctx := context.Background()

	b.ReportAllocs()
	for b.Loop() {
		if verdict := guard.Check(ctx, call); !verdict.Proceed() {
			b.Fatalf("read call refused: %+v", verdict.Refusal)
		}
	}
}

// BenchmarkCheckDeployRefused measures the guard's decision on a deploy
// call that carries an unknown approvalId and is refused without a plan.
func BenchmarkCheckDeployRefused(b *testing.B) {
	guard := newBenchGuard(b)
	arguments := withApprovalID(deployArgs("model-1"), "unknown-approval")
	call := Call{Tool: deployTool, Arguments: arguments, Caller: "session-1"}
	ctx := context.Background()

	b.ReportAllocs()
	for b.Loop() {
		if verdict := guard.Check(ctx, call); verdict.Proceed() {
			b.Fatal("deploy with an unknown approval id proceeded")
		}
	}
}
