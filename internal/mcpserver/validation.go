package mcpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// sdkValidationPrefix starts the text of the error result that mcp-go v1.2.1
// returns when arguments fail input schema validation.
const sdkValidationPrefix = "input schema validation failed"

// argumentValidator rewords mcp-go's input validation failures. mcp-go
// renders them as Go structs ("/size: &{Got:500/1 Want:100/1}"); the
// rewording names each argument, the rule it broke and where to look.
type argumentValidator struct {
	schemas map[string]*jsonschema.Schema
	printer *message.Printer
}

// newArgumentValidator compiles the announced input schema of every tool.
func newArgumentValidator(serverTools []server.ServerTool) (*argumentValidator, error) {
	v := &argumentValidator{schemas: map[string]*jsonschema.Schema{}, printer: message.NewPrinter(language.English)}
	for _, serverTool := range serverTools {
		tool := serverTool.Tool
		document, err := jsonschema.UnmarshalJSON(bytes.NewReader(tool.RawInputSchema))
		if err != nil {
			return nil, fmt.Errorf("tool %s: decode input schema: %w", tool.Name, err)
		}
		url := "mem:///rational-mcp/" + tool.Name + ".json"
		compiler := jsonschema.NewCompiler()
		if err := compiler.AddResource(url, document); err != nil {
			return nil, fmt.Errorf("tool %s: add input schema: %w", tool.Name, err)
		}
		compiled, err := compiler.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("tool %s: compile input schema: %w", tool.Name, err)
		}
		v.schemas[tool.Name] = compiled
	}
	return v, nil
}

// reword replaces the text of an mcp-go validation failure in result with a
// message that names the arguments. Other results are left unchanged.
func (v *argumentValidator) reword(request *mcp.CallToolRequest, result any) {
	callResult, ok := result.(*mcp.CallToolResult)
	if !ok || callResult == nil || !callResult.IsError || len(callResult.Content) != 1 {
		return
	}
	text, ok := callResult.Content[0].(mcp.TextContent)
	if !ok || !strings.HasPrefix(text.Text, sdkValidationPrefix) {
		return
	}
	if message := v.describe(request.Params.Name, request.Params.Arguments); message != "" {
		text.Text = message
		callResult.Content[0] = text
	}
}

// describe validates arguments against the tool's input schema and returns
// one message for every violation, or "" when they are valid.
func (v *argumentValidator) describe(toolName string, arguments any) string {
	schema, ok := v.schemas[toolName]
	if !ok {
		return ""
	}
	encoded, err := json.Marshal(arguments)
	if err != nil || arguments == nil {
		encoded = []byte("{}")
	}
	value, err := jsonschema.UnmarshalJSON(bytes.NewReader(encoded))
	if err != nil {
		return ""
	}

	err = schema.Validate(value)
	var validationErr *jsonschema.ValidationError
	if !errors.As(err, &validationErr) {
		return ""
	}
	problems := v.leafMessages(validationErr)
	return fmt.Sprintf("%s: invalid arguments: %s; see the input schema of %s in tools/list and call again",
		toolName, strings.Join(problems, "; "), toolName)
}

func (v *argumentValidator) leafMessages(err *jsonschema.ValidationError) []string {
	if len(err.Causes) > 0 {
		var messages []string
		for _, cause := range err.Causes {
			messages = append(messages, v.leafMessages(cause)...)
		}
		return messages
	}

	argument := strings.Join(err.InstanceLocation, ".")
	switch problem := err.ErrorKind.(type) {
	case *kind.Required:
		if argument == "" {
			return []string{"missing required argument " + quoteList(problem.Missing)}
		}
		return []string{fmt.Sprintf("argument '%s' is missing %s", argument, quoteList(problem.Missing))}
	case *kind.AdditionalProperties:
		return []string{"unknown argument " + quoteList(problem.Properties)}
	}
	if argument == "" {
		return []string{"arguments: " + err.ErrorKind.LocalizedString(v.printer)}
	}
	return []string{fmt.Sprintf("argument '%s': %s", argument, err.ErrorKind.LocalizedString(v.printer))}
}

func quoteList(names []string) string {
	quoted := make([]string, len(names))
	for i, name := range names {
		quoted[i] = "'" + name + "'"
	}
	return strings.Join(quoted, ", ")
}
