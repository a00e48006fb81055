package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Comparison is the operator that compares a figure's median with its target.
type Comparison string

// The comparisons of a Target.
const (
	Below   Comparison = "<"
	AtLeast Comparison = ">="
)

// Target is the budget that a figure's median must meet.
type Target struct {
	Comparison Comparison `json:"comparison"`
	Value      float64    `json:"value"`
}

// Met reports whether value meets the target.
func (t Target) Met(value float64) bool {
	if t.Comparison == AtLeast {
		return value >= t.Value
	}
	return value < t.Value
}

// Row is one figure: the value of every repeated run, their median and
// spread, and the target when the figure has one.
type Row struct {
	Group  string    `json:"group"`
	Name   string    `json:"name"`
	Unit   string    `json:"unit"`
	Runs   []float64 `json:"runs"`
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Target *Target   `json:"target,omitempty"`
	// Pass is set when the row has a target: whether the median meets it.
	Pass *bool `json:"pass,omitempty"`
	// Miss is the distance of the median from a missed target, as a share
	// of the target: 0.25 is 25% over a ceiling or under a floor. It is 0
	// when the target is met.
	Miss float64 `json:"miss,omitempty"`
	Note string  `json:"note,omitempty"`
}

// newRow builds a row from the values of the repeated runs.
func newRow(group, name, unit string, runs []float64, target *Target) Row {
	sorted := slices.Clone(runs)
	slices.Sort(sorted)
	row := Row{Group: group, Name: name, Unit: unit, Runs: runs, Target: target}
	if len(sorted) > 0 {
		row.Min = sorted[0]
		row.Max = sorted[len(sorted)-1]
		row.Median = percentile(sorted, 50)
		if len(sorted)%2 == 0 {
			row.Median = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
		}
	}
	if target != nil {
		pass := target.Met(row.Median)
		row.Pass = &pass
		if !pass && target.Value != 0 {
			row.Miss = math.Abs(row.Median-target.Value) / target.Value
		}
	}
	return row
}

// Environment describes the machine and run that produced a Report.
type Environment struct {
	Date      time.Time `json:"date"`
	GoVersion string    `json:"goVersion"`
	CPUs      int       `json:"cpus"`
	CPUModel  string    `json:"cpuModel"`
	MemTotal  string    `json:"memTotal"`
	Binary    string    `json:"binary"`
	// BinaryVersion is the first line of "rational-mcp version", which
	// names the commit the binary was built from.
	BinaryVersion string `json:"binaryVersion"`
	Command       string `json:"command"`
	Load1         string `json:"load1"`
}

// Report is the result of Run.
type Report struct {
	Environment Environment   `json:"environment"`
	Config      Config        `json:"config"`
	Elapsed     time.Duration `json:"elapsedNanoseconds"`
	Rows        []Row         `json:"rows"`
}

// WriteJSON writes the report as indented JSON to path.
func (r *Report) WriteJSON(path string) error {
	encoded, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the report: %w", err)
	}
	if err := os.WriteFile(path, append(encoded, '\n'), 0o644); err != nil {
		return fmt.Errorf("write the report to %s: %w", path, err)
	}
	return nil
}

// WriteTable prints the report as an aligned text table, one row per
// figure, followed by the environment.
func (r *Report) WriteTable(w io.Writer) error {
	table := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(table, "group\tfigure\tmedian\tspread (min-max)\ttarget\tresult\t")
	for _, row := range r.Rows {
		target, result := "", ""
		if row.Target != nil {
			target = fmt.Sprintf("%s %s", row.Target.Comparison, formatValue(row.Target.Value, row.Unit))
			result = "pass"
			if !*row.Pass {
				result = fmt.Sprintf("MISS by %.0f%%", row.Miss*100)
			}
		}
		fmt.Fprintf(table, "%s\t%s\t%s\t%s - %s\t%s\t%s\t\n", row.Group, row.Name,
			formatValue(row.Median, row.Unit), formatNumber(row.Min), formatNumber(row.Max), target, result)
	}
	if err := table.Flush(); err != nil {
		return err
	}

	env := r.Environment
	_, err := fmt.Fprintf(w, "\n%s; %s, %d CPUs (%s), %s RAM, load %s; %d repeats, took %s\n",
		env.BinaryVersion, env.GoVersion, env.CPUs, env.CPUModel, env.MemTotal, env.Load1, r.Config.Repeats, r.Elapsed.Round(time.Second))
	return err
}

// WriteMarkdown prints the rows as a Markdown table.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| Group | Figure | Median | Spread (min–max) | Target | Result |\n")
	b.WriteString("|---|---|---:|---:|---|---|\n")
	for _, row := range r.Rows {
		target, result := "", ""
		if row.Target != nil {
			target = fmt.Sprintf("%s %s", row.Target.Comparison, formatValue(row.Target.Value, row.Unit))
			result = "pass"
			if !*row.Pass {
				result = fmt.Sprintf("**miss** by %.0f%%", row.Miss*100)
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s–%s | %s | %s |\n", row.Group, row.Name,
			formatValue(row.Median, row.Unit), formatNumber(row.Min), formatNumber(row.Max), target, result)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func formatValue(value float64, unit string) string {
	return formatNumber(value) + " " + unit
}

func formatNumber(value float64) string {
	switch {
	case value == math.Trunc(value) || math.Abs(value) >= 100:
		return fmt.Sprintf("%.0f", value)
	case math.Abs(value) >= 10:
		return fmt.Sprintf("%.1f", value)
	default:
		return fmt.Sprintf("%.2f", value)
	}
}

// ReadReport reads a report that WriteJSON wrote.
func ReadReport(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the report: %w", err)
	}
	var report Report
	if err := json.Unmarshal(data, &report); err != nil {
		return nil, fmt.Errorf("decode the report %s: %w", path, err)
	}
	return &report, nil
}
