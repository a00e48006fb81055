package simulator

import "maps"

// Stats are the simulator's counters since New. Every request counts,
// including those that got a fault or a 401.
type Stats struct {
	// Requests counts requests by the endpoint their method and path match.
	Requests map[Endpoint]int64
	// RegistrationsCreated counts models created by POST /models/register
	// (seeded models are not counted).
	RegistrationsCreated int64
	// DeploymentsCreated counts deployments created by POST
	// /models/{id}/deploy.
	DeploymentsCreated int64
	// Mutations counts requests that changed state: registrations, PATCHes
	// that changed a field, deletions, deployments, and pauses or
	// cancellations that changed a status. A forced rollout counts once.
	Mutations int64
	// Faults counts injected faults by kind.
	Faults map[Fault]int64
}

func newStats() Stats {
	return Stats{
		Requests: make(map[Endpoint]int64),
		Faults:   make(map[Fault]int64),
	}
}

// Stats returns a copy of the counters.
func (s *Simulator) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()

	snapshot := s.stats
	snapshot.Requests = maps.Clone(s.stats.Requests)
	snapshot.Faults = maps.Clone(s.stats.Faults)
	return snapshot
}

func (s *Simulator) countRequest(endpoint Endpoint) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Requests[endpoint]++
}

func (s *Simulator) countFault(fault Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Faults[fault]++
}
