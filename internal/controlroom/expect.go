package controlroom

import (
	"context"
	"fmt"
	"strings"
)

// ModelIdentity is the part of a model record that an approval of a deploy
// covers: what the approver saw and what a policy matched.
type ModelIdentity struct {
	Name           string
	HuggingFaceID  string
	Type           ModelType
	NumberOfParams string
}

// IdentityOf returns the identity of model.
func IdentityOf(model *Model) ModelIdentity {
	return ModelIdentity{
		Name:           model.Name,
		HuggingFaceID:  model.HuggingFaceID,
		Type:           model.Type,
		NumberOfParams: model.NumberOfParams,
	}
}

// differences lists the fields in which got differs from want, as
// "name "a" -> "b"".
func (want ModelIdentity) differences(got ModelIdentity) []string {
	var changed []string
	add := func(field, before, after string) {
		if before != after {
			changed = append(changed, fmt.Sprintf("%s %q -> %q", field, before, after))
		}
	}
	add("name", want.Name, got.Name)
	add("huggingFaceId", want.HuggingFaceID, got.HuggingFaceID)
	add("type", string(want.Type), string(got.Type))
	add("numberOfParams", want.NumberOfParams, got.NumberOfParams)
	return changed
}

type expectedModelKey struct{}

// WithExpectedModel returns a context under which DeployModel sends the
// deploy only when the model record it reads right before sending still
// has identity. The guard sets it for an approved deploy, so that an
// update_model between the approval and the deploy cannot change what is
// deployed.
func WithExpectedModel(ctx context.Context, identity ModelIdentity) context.Context {
	return context.WithValue(ctx, expectedModelKey{}, identity)
}

// expectedModel returns the identity set by WithExpectedModel.
func expectedModel(ctx context.Context) (ModelIdentity, bool) {
	identity, ok := ctx.Value(expectedModelKey{}).(ModelIdentity)
	return identity, ok
}

// checkExpectedModel returns a KindConflict error when ctx expects an
// identity that model no longer has.
func (c *Client) checkExpectedModel(ctx context.Context, op string, model *Model) error {
	want, ok := expectedModel(ctx)
	if !ok {
		return nil
	}
	changed := want.differences(IdentityOf(model))
	if len(changed) == 0 {
		return nil
	}

	c.log.Warn("model record changed after the deploy was approved; deploy not sent",
		"model_id", model.ID, "changed", strings.Join(changed, "; "))
	return c.newError(KindConflict, op, 0,
		fmt.Sprintf("the model record changed after the deploy was approved (%s), so no deploy request was sent", strings.Join(changed, "; ")),
		"call deploy_model again so that the approver sees the current record", nil)
}
