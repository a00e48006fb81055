package guard

import (
	"testing"
	"time"
)

func FuzzStateVerify(f *testing.F) {
	clock := newTestClock()
	signer, err := NewStateSigner(NewRandomKey(), time.Minute, clock.Now)
	if err != nil {
		f.Fatal(err)
	}
	valid, err := signer.Issue(testBinding())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add("")
	f.Add(statePrefix + "e30.AAAA")
	f.Add(statePrefix + "..")

	f.Fuzz(func(t *testing.T, state string) {
		if state == valid {
			return
		}
		if refusal := signer.Verify(state, testBinding()); refusal == nil {
			t.Fatalf("a state this signer did not issue was accepted: %q", state)
		}
	})
}

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte("version: 1\n"))
	f.Add([]byte("version: 1\ndeploy:\n  preapprove:\n    - name: r\n      models: ['a/*']\n      maxGpus: 1\n"))
	f.Add([]byte(`{"version": 1, "rules": {"effects": {"gpu": "deny"}}}`))
	f.Add([]byte("version: 1\nrules:\n  tools: {x: allow}\n"))

	f.Fuzz(func(t *testing.T, document []byte) {
		policy, err := ParsePolicy(document)
		if err != nil {
			return
		}
		for _, rule := range policy.Preapprovals {
			if len(rule.Models) == 0 && len(rule.HuggingFaceIDs) == 0 {
				t.Fatalf("rule %q without patterns was accepted", rule.Name)
			}
			for _, pattern := range append(append([]string{}, rule.Models...), rule.HuggingFaceIDs...) {
				if err := checkPattern(pattern); err != nil {
					t.Fatalf("invalid pattern %q was accepted: %v", pattern, err)
				}
			}
		}
		for effect, action := range policy.Rules.Effects {
			if !effect.Valid() || !action.Valid() {
				t.Fatalf("invalid effect rule %q: %q was accepted", effect, action)
			}
		}
	})
}
