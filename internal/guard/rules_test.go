package guard

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultRulesByEffect(t *testing.T) {
	rules := DefaultRules()
	cases := []struct {
		tool Tool
		want Action
	}{
		{listTool, ActionAllow},
		{regTool, ActionAllow},
		{Tool{"update_model", EffectWrite}, ActionAllow},
		{deployTool, ActionRequireApproval},
		{cancelTool, ActionRequireApproval},
		{deleteTool, ActionRequireApproval},
		{pauseTool, ActionRequireApproval},
	}
	for _, c := range cases {
		action, _ := rules.Decide(c.tool)
		assert.Equal(t, c.want, action, c.tool.String())
	}
}

func TestRulesToolWinsOverEffect(t *testing.T) {
	rules := DefaultRules()
	rules.Tools["pause_deployment"] = ActionAllow
	rules.Effects[EffectWrite] = ActionDeny

	action, source := rules.Decide(pauseTool)
	assert.Equal(t, ActionAllow, action)
	assert.Equal(t, RuleSource("tool rule pause_deployment"), source)

	action, source = rules.Decide(regTool)
	assert.Equal(t, ActionDeny, action)
	assert.Equal(t, RuleSource("effect rule write"), source)
}

func TestRulesReadOnlyWinsOverAllow(t *testing.T) {
	rules := DefaultRules()
	rules.ReadOnly = true
	rules.Tools["deploy_model"] = ActionAllow
	rules.Effects[EffectWrite] = ActionAllow

	for _, tool := range []Tool{deployTool, regTool, cancelTool} {
		action, source := rules.Decide(tool)
		assert.Equal(t, ActionDeny, action, tool.Name)
		assert.Equal(t, RuleReadOnly, source)
		assert.False(t, rules.Visible(tool), tool.Name)
	}
	action, _ := rules.Decide(listTool)
	assert.Equal(t, ActionAllow, action)
	assert.True(t, rules.Visible(listTool))
}

func TestRulesUnknownEffectDenied(t *testing.T) {
	action, source := DefaultRules().Decide(Tool{Name: "new_tool", Effect: "gpu-ish"})
	assert.Equal(t, ActionDeny, action)
	assert.Contains(t, string(source), "unknown effect")
}

func TestRulesEmptyEffectMapFallsBack(t *testing.T) {
	action, source := Rules{}.Decide(deployTool)
	assert.Equal(t, ActionRequireApproval, action)
	assert.Equal(t, RuleSource("default rule gpu"), source)
}

func TestRulesCheckToolsNamesUnknown(t *testing.T) {
	rules := DefaultRules()
	rules.Tools["deploy-model"] = ActionAllow
	err := rules.CheckTools([]string{"deploy_model", "list_models"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"deploy-model"`)

	delete(rules.Tools, "deploy-model")
	assert.NoError(t, rules.CheckTools([]string{"deploy_model"}))
}

func TestParseMode(t *testing.T) {
	for _, mode := range Modes {
		parsed, err := ParseMode(string(mode))
		require.NoError(t, err)
		assert.Equal(t, mode, parsed)
	}
	_, err := ParseMode("yolo")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"yolo"`)
}
