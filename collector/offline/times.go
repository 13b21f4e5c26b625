package offline

import (
	"time"

	"github.com/iamscan/iamscan/jsonpos"
)

// parseTime reads the timestamps IAM outputs carry: RFC 3339 with "Z" or
// a numeric offset (the wire format and CLI v2), optionally with
// fractional seconds, and boto3's form with a space instead of "T".
// It is hand-written because time.Parse dominated profiles of large
// accounts, where every entity and version has one or two timestamps.
func parseTime(s string) (time.Time, bool) {
	// 2006-01-02T15:04:05[.frac](Z|+hh:mm|-hh:mm)
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest := s[19:]
	nsec := 0
	if rest[0] == '.' {
		i := 1
		scale := 100000000
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			nsec += int(rest[i]-'0') * scale
			scale /= 10
			i++
		}
		if i == 1 {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case rest == "Z" || rest == "z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, okh := digits(rest[1:3])
		m, okm := digits(rest[4:6])
		if !okh || !okm || h > 23 || m > 59 {
			return time.Time{}, false
		}
		offset = (h*60 + m) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if offset != 0 {
		t = t.Add(-time.Duration(offset) * time.Second)
	}
	return t, true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// time reads a timestamp value; null or absent is the zero time.
func (r *reader) time(v *jsonpos.Value, what string) time.Time {
	switch v.Kind {
	case jsonpos.String:
		if t, ok := parseTime(v.Str); ok {
			return t
		}
		r.problem(v, "%s is not a timestamp (expected e.g. 2024-01-02T03:04:05Z): %q", what, v.Str)
	case jsonpos.Null:
	default:
		r.problem(v, "%s must be a timestamp string, found %s", what, v.Kind)
	}
	return time.Time{}
}
