package bench

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPercentileNearestRank(t *testing.T) {
	values := []float64{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}

	assert.Equal(t, 5.0, percentile(values, 50))
	assert.Equal(t, 10.0, percentile(values, 99))
	assert.Equal(t, 1.0, percentile(values, 0))
	assert.Equal(t, 0.0, percentile(nil, 50))
}

func TestNewRowMedianAndSpread(t *testing.T) {
	row := newRow("g", "f", "ms", []float64{4, 1, 3, 2}, nil)

	assert.Equal(t, 2.5, row.Median)
	assert.Equal(t, 1.0, row.Min)
	assert.Equal(t, 4.0, row.Max)
	assert.Nil(t, row.Pass)
}

func TestNewRowTargetMiss(t *testing.T) {
	ceiling := newRow("g", "f", "ms", []float64{30}, &Target{Comparison: Below, Value: 15})
	require.NotNil(t, ceiling.Pass)
	assert.False(t, *ceiling.Pass)
	assert.InDelta(t, 1.0, ceiling.Miss, 1e-9)

	floor := newRow("g", "f", "calls/s", []float64{4000}, &Target{Comparison: AtLeast, Value: 5000})
	assert.False(t, *floor.Pass)
	assert.InDelta(t, 0.2, floor.Miss, 1e-9)

	met := newRow("g", "f", "MiB", []float64{10}, &Target{Comparison: Below, Value: 20})
	assert.True(t, *met.Pass)
	assert.Zero(t, met.Miss)
}

func TestFirstEventDataSkipsNotifications(t *testing.T) {
	stream := []byte("event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\n" +
		"event: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}\r\n\r\n")

	data, err := firstEventData(stream)
	require.NoError(t, err)
	assert.JSONEq(t, `{"jsonrpc":"2.0","id":3,"result":{}}`, string(data))

	_, err = firstEventData([]byte("event: message\n\n"))
	assert.Error(t, err)
}

func TestCheckResponseRejectsToolError(t *testing.T) {
	_, err := checkResponse([]byte(`{"jsonrpc":"2.0","id":1,"result":{"isError":true,"content":[]}}`))
	assert.ErrorContains(t, err, "tool result is an error")

	_, err = checkResponse([]byte(`{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"bad"}}`))
	assert.ErrorContains(t, err, "-32602")

	result, err := checkResponse([]byte(`{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"tools":[]}`, string(result))
}

func TestProcFiguresOfThisProcess(t *testing.T) {
	rss, err := residentMegabytes(os.Getpid())
	require.NoError(t, err)
	assert.Greater(t, rss, 1.0)

	cpu, err := processCPU(os.Getpid())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, cpu, time.Duration(0))
}

func TestScaleStopsAtUpstreamPageCap(t *testing.T) {
	cfg := SmokeConfig("unused")
	cfg.CatalogSizes = []int{2500}
	report := &Report{}

	require.NoError(t, measureScale(context.Background(), cfg, report))

	pages := map[string]float64{}
	for _, row := range report.Rows {
		if strings.HasSuffix(row.Name, "upstream pages per call") {
			pages[row.Name] = row.Median
		}
	}
	// The 1% text filter needs 21 matches (a page of 20 and one more) and
	// finds them only past record 2,000, so list_models stops at its cap of
	// 40 pages of 50; the 25% type filter fills its page on page 2.
	assert.Equal(t, 40.0, pages["2500 models, text 1%: upstream pages per call"])
	assert.Equal(t, 2.0, pages["2500 models, type 25%: upstream pages per call"])
}
