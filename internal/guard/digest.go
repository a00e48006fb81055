package guard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
)

// ApprovalArgument is the argument by which an agent passes back an approval
// id from the approval page. It is not part of what was approved, so the
// digest leaves it out.
const ApprovalArgument = "approvalId"

// approvalArguments are the arguments that carry approvals instead of
// describing the call.
var approvalArguments = []string{ApprovalArgument}

// ArgumentsDigest returns the hex SHA-256 of the canonical JSON of
// arguments without the approval arguments. encoding/json sorts map keys at
// every level, so equal maps give equal digests. The comparison is strict:
// an absent key, a null and a false differ, and so do 1 and "1", so an
// approval binds exactly the arguments that were shown.
func ArgumentsDigest(arguments map[string]any) (string, error) {
	call := maps.Clone(arguments)
	if call == nil {
		call = map[string]any{}
	}
	for _, key := range approvalArguments {
		delete(call, key)
	}

	canonical, err := json.Marshal(call)
	if err != nil {
		return "", fmt.Errorf("encode the arguments for their digest: %w", err)
	}

	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:]), nil
}

// callerDigest returns a short digest of the caller so that tokens do not
// carry session ids in clear text.
func callerDigest(caller string) string {
	sum := sha256.Sum256([]byte("caller\x00" + caller))
	return hex.EncodeToString(sum[:16])
}
