// Package simulator is an in-memory simulator of the Rational AI Control
// Room Management API. It is an http.Handler that serves the paths under
// /api/management/v0, so a client's base URL is http://HOST:PORT/api. It
// backs the --demo mode, the `rational-mcp simulator` command and the tests.
//
// It follows every example of the vendor's guide. GET /models?page&size
// returns a catalog page. Register returns 201 with the full record, or 409
// for a taken name. Deploy returns 201 with the deployment id as text/plain.
// A model record lists deployments[] with deploymentId, status, gpuCount and
// serviceUrl, and an unknown path gets "Cannot POST /path". Where the guide
// is silent, the simulator invents the behaviour below, and a real Control
// Room may differ on each point.
//
// # Statuses
//
// A deployment goes through waitingForGpu (queued: the pool has too few free
// GPUs), scheduling, pullingWeights, loading and waitingForChat (ready, the
// only status the guide names). Pause and cancel lead to paused and
// cancelled. Only cancelled is final; paused has no resume, so serve the
// model again with a new deploy. Statuses are computed from timestamps and
// the Clock on every read, so a ManualClock drives the lifecycle with no
// background goroutines.
//
// # Timings
//
// Once a deployment holds its GPUs, it spends Timings.Scheduling,
// Timings.PullingWeights and Timings.Loading in the three phases.
// DemoTimings are 2 s, 6 s and 4 s; a real Control Room takes minutes.
//
// # GPUs
//
// A deployment needs ceil(numberOfParams × bytes per parameter × 1.2 /
// 80 GB) GPUs, at least 1, with 2 bytes per parameter for base, 0.5 for awq
// and 0.5625 for gguf and ggml (see GPUsFor). A missing or non-numeric numberOfParams gives
// 1. The pool holds Options.GPUs GPUs (16 by default). Queued deployments get
// GPUs in FIFO order as others release them; the head of the queue blocks
// the rest until it fits. A deployment that needs more GPUs than the whole
// pool stays in waitingForGpu forever without blocking the queue. Pause and
// cancel release GPUs at once. gpuCount is the GPUs allocated, as the
// vendor's guide defines it: the deployment's need while it holds GPUs
// (scheduling to waitingForChat), and 0 while it is queued, paused or
// cancelled. The extra field gpusRequested is the need in every status.
// serviceUrl is http://<deploymentId>.rational-ai.svc.cluster.local/v1/
// while the deployment holds GPUs and null otherwise.
//
// # Deploy and forceDeployment
//
// A deployment id is "model-", the model name in lodash kebab case
// ("google/gemma-4-12B-it" becomes "google-gemma-4-12-b-it"), "-" and 12
// random hex digits, at most 63 bytes so it stays a valid DNS label. A deploy
// with forceDeployment=false on a model with a live deployment (any status
// but cancelled, paused included) gets 409. With forceDeployment=true every
// live deployment of the model is cancelled and releases its GPUs, then the
// new deployment joins the GPU queue. deployment-status, pause and cancel
// are keyed by deployment id; a model id there gets 404 with a message that
// says so. Pause and cancel return 200 with the deployment JSON and repeat
// safely; pausing a cancelled deployment gets 409.
//
// # Extra fields
//
// A model record also has architecture ("generic"), createdAt and
// updatedAt, and unset optional fields are null. A deployment also has
// gpusRequested, modelId, modelName, parameters (the DeploymentParameters it
// was created with), createdAt, updatedAt and, while queued, queuePosition.
// GET /models/deployments returns a JSON array of every deployment.
//
// # Errors
//
// Errors are JSON in the NestJS shape
// {"statusCode":409,"error":"Conflict","message":"..."}, except 404 for an
// unknown path or method, which is the plain text "Cannot METHOD /path" and
// comes before the token check.
// Missing or wrong bearer token: 401. Invalid JSON, missing required fields
// (name, type, isFineTuned; forceDeployment), wrong field types, a type other
// than base, awq, ggml or gguf, page < 0 or size outside 1..1000: 400. A
// body that is not Content-Type application/json: 415. A body over 1 MiB:
// 413. A model id that is not a UUID, or is unknown: 404. Deleting a model
// with a live deployment, or renaming it to a taken name: 409. The catalog
// page size defaults to 20.
//
// # Faults
//
// SetFaults injects latency, 503, 429 with Retry-After, connections dropped
// before or after processing, 500 after processing, malformed and
// truncated bodies and slowly sent bodies, by rate with a seeded random
// sequence or one-shot in order. Stats counts requests by endpoint,
// creations, mutations and faults.
//
// # Seed catalog
//
// With Options.Seed the catalog holds 14 real open models of all four types
// (six base, three awq, three gguf, two ggml) with their Hugging Face ids,
// publishers, card URLs and approximate parameter counts, and
// google/gemma-2-9b-it has one ready deployment. Seeded ids are derived from
// the model names, so they are the same on every run.
package simulator
