package estimate

import (
	"fmt"
	"strconv"
)

// formatBytes renders n as "16,060,522,496 bytes (14.96 GiB)".
func formatBytes(n int64) string {
	return fmt.Sprintf("%s bytes (%.2f GiB)", formatCount(n), float64(n)/(1<<30))
}

// formatCount renders n with thousands separators.
func formatCount(n int64) string {
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if digits[0] == '-' {
		sign, digits = "-", digits[1:]
	}

	var out []byte
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, digits[i])
	}
	return sign + string(out)
}
