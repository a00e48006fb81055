package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// envPrefix starts the environment variable of every flag: --read-only is
// RATIONAL_MCP_READ_ONLY.
const envPrefix = "RATIONAL_MCP_"

// envName returns the environment variable that sets the flag called name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// flagSet is a flag.FlagSet whose flags take their defaults from environment
// variables. A flag given on the command line wins over its variable.
type flagSet struct {
	*flag.FlagSet
	getenv func(string) string
	// envErrors collects variables that do not parse as their flag's type.
	envErrors []error
}

func newFlagSet(name string, getenv func(string) string) *flagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	return &flagSet{FlagSet: flags, getenv: getenv}
}

func (f *flagSet) envValue(name string) (string, bool) {
	value := strings.TrimSpace(f.getenv(envName(name)))
	return value, value != ""
}

func (f *flagSet) usage(name, text string) string {
	return text + " [env " + envName(name) + "]"
}

func (f *flagSet) envError(name, value, want string) {
	f.envErrors = append(f.envErrors, fmt.Errorf("%s=%q is invalid: want %s", envName(name), value, want))
}

func (f *flagSet) stringFlag(name, fallback, text string) *string {
	if value, ok := f.envValue(name); ok {
		fallback = value
	}
	return f.String(name, fallback, f.usage(name, text))
}

func (f *flagSet) boolFlag(name string, fallback bool, text string) *bool {
	if value, ok := f.envValue(name); ok {
		parsed, err := strconv.ParseBool(value)
		if err != nil {
			f.envError(name, value, "true or false")
		} else {
			fallback = parsed
		}
	}
	return f.Bool(name, fallback, f.usage(name, text))
}

func (f *flagSet) durationFlag(name string, fallback time.Duration, text string) *time.Duration {
	if value, ok := f.envValue(name); ok {
		parsed, err := time.ParseDuration(value)
		if err != nil || parsed < 0 {
			f.envError(name, value, "a Go duration such as 30s or 2m")
		} else {
			fallback = parsed
		}
	}
	return f.Duration(name, fallback, f.usage(name, text))
}

func (f *flagSet) int64Flag(name string, fallback int64, text string) *int64 {
	if value, ok := f.envValue(name); ok {
		parsed, err := strconv.ParseInt(value, 10, 64)
		if err != nil || parsed < 1 {
			f.envError(name, value, "a positive integer")
		} else {
			fallback = parsed
		}
	}
	return f.Int64(name, fallback, f.usage(name, text))
}

// printDefaults writes every flag with its usage and default.
func (f *flagSet) printDefaults(w io.Writer) {
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
}
